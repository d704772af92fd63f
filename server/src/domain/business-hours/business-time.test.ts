import { describe, expect, it } from "vitest";
import { addBusinessMs, businessMsBetween, isOpenAt, localDate, nextChange, nextOpening, type BusinessCalendar, type Span } from "./business-time.ts";

const H = 3_600_000;
const M = 60_000;
const workday: Span[] = [
  ["09:00", "12:00"],
  ["13:00", "18:00"],
];

/** Shanghai office: Mon–Fri 09–12 and 13–18 (lunch break), 国庆 holidays, one 调休 Saturday. */
const shanghai: BusinessCalendar = {
  timeZone: "Asia/Shanghai",
  weeklyHours: { mon: workday, tue: workday, wed: workday, thu: workday, fri: workday },
  holidays: ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"].map((date) => ({ date, name: "国庆节" })),
  extraWorkdays: [{ date: "2026-10-10", hours: [["09:00", "18:00"]] }],
};

/** Berlin: Mon–Fri 09–17, and a Sunday night shift 01:00–05:00 that straddles both DST changes. */
const berlin: BusinessCalendar = {
  timeZone: "Europe/Berlin",
  weeklyHours: {
    sun: [["01:00", "05:00"]],
    mon: [["09:00", "17:00"]],
    tue: [["09:00", "17:00"]],
    wed: [["09:00", "17:00"]],
    thu: [["09:00", "17:00"]],
    fri: [["09:00", "17:00"]],
  },
  holidays: [],
  extraWorkdays: [],
};

/** Shanghai local wall time → Date. */
const sh = (local: string) => new Date(`${local}+08:00`);

describe("business hours on weekdays", () => {
  it("is open inside a span and closed over lunch, at closing, at night and at the weekend", () => {
    expect(isOpenAt(shanghai, sh("2026-11-23T09:00:00"))).toBe(true);
    expect(isOpenAt(shanghai, sh("2026-11-23T11:59:59"))).toBe(true);
    expect(isOpenAt(shanghai, sh("2026-11-23T12:30:00"))).toBe(false);
    expect(isOpenAt(shanghai, sh("2026-11-23T18:00:00"))).toBe(false);
    expect(isOpenAt(shanghai, sh("2026-11-23T08:59:59"))).toBe(false);
    expect(isOpenAt(shanghai, sh("2026-11-21T10:00:00"))).toBe(false);
  });

  it("counts a target across the lunch break", () => {
    // 10:00 + 4 h: 2 h until 12:00, lunch, 2 h from 13:00 → 15:00
    expect(addBusinessMs(shanghai, sh("2026-11-23T10:00:00"), 4 * H)).toEqual(sh("2026-11-23T15:00:00"));
    expect(businessMsBetween(shanghai, sh("2026-11-23T10:00:00"), sh("2026-11-23T15:00:00"))).toBe(4 * H);
    expect(businessMsBetween(shanghai, sh("2026-11-23T11:30:00"), sh("2026-11-23T13:30:00"))).toBe(H);
  });

  it("starts counting at the next opening when created while closed", () => {
    expect(addBusinessMs(shanghai, sh("2026-11-23T07:00:00"), 30 * M)).toEqual(sh("2026-11-23T09:30:00"));
    expect(addBusinessMs(shanghai, sh("2026-11-23T12:15:00"), 30 * M)).toEqual(sh("2026-11-23T13:30:00"));
  });

  it("is due at the closing when the target runs out exactly then", () => {
    expect(addBusinessMs(shanghai, sh("2026-11-23T17:00:00"), H)).toEqual(sh("2026-11-23T18:00:00"));
  });

  it("carries a target overnight and across a weekend", () => {
    // Friday 17:00 + 2 h: 1 h on Friday, Monday 09:00–10:00
    expect(addBusinessMs(shanghai, sh("2026-11-20T17:00:00"), 2 * H)).toEqual(sh("2026-11-23T10:00:00"));
    expect(businessMsBetween(shanghai, sh("2026-11-20T17:00:00"), sh("2026-11-23T10:00:00"))).toBe(2 * H);
    // a full week of business hours is 5 × 8 h
    expect(businessMsBetween(shanghai, sh("2026-11-23T00:00:00"), sh("2026-11-30T00:00:00"))).toBe(40 * H);
    expect(addBusinessMs(shanghai, sh("2026-11-23T09:00:00"), 40 * H)).toEqual(sh("2026-11-27T18:00:00"));
  });

  it("gives zero business time for an empty or reversed range and returns the start for a zero target", () => {
    const at = sh("2026-11-23T10:00:00");
    expect(businessMsBetween(shanghai, at, at)).toBe(0);
    expect(businessMsBetween(shanghai, at, sh("2026-11-23T09:30:00"))).toBe(0);
    expect(addBusinessMs(shanghai, at, 0)).toEqual(at);
  });
});

describe("holidays and make-up workdays", () => {
  it("skips holidays", () => {
    // Wednesday 30 Sep 17:00 + 3 h: 1 h, then 1–7 Oct are closed (holidays and weekend), Thursday 8 Oct 09–11
    expect(addBusinessMs(shanghai, sh("2026-09-30T17:00:00"), 3 * H)).toEqual(sh("2026-10-08T11:00:00"));
    expect(isOpenAt(shanghai, sh("2026-10-05T10:00:00"))).toBe(false);
    expect(nextOpening(shanghai, sh("2026-10-01T10:00:00"))).toEqual(sh("2026-10-08T09:00:00"));
  });

  it("opens on a make-up Saturday with its own hours (no lunch break)", () => {
    expect(isOpenAt(shanghai, sh("2026-10-10T12:30:00"))).toBe(true);
    expect(isOpenAt(shanghai, sh("2026-10-11T10:00:00"))).toBe(false);
    // Friday 9 Oct 17:00 + 2 h: 1 h on Friday, then the make-up Saturday 09:00–10:00
    expect(addBusinessMs(shanghai, sh("2026-10-09T17:00:00"), 2 * H)).toEqual(sh("2026-10-10T10:00:00"));
    expect(businessMsBetween(shanghai, sh("2026-10-10T00:00:00"), sh("2026-10-12T00:00:00"))).toBe(9 * H);
  });
});

describe("next opening and next change", () => {
  it("finds the next opening, or the instant itself when open", () => {
    expect(nextOpening(shanghai, sh("2026-11-21T10:00:00"))).toEqual(sh("2026-11-23T09:00:00"));
    expect(nextOpening(shanghai, sh("2026-11-23T12:30:00"))).toEqual(sh("2026-11-23T13:00:00"));
    expect(nextOpening(shanghai, sh("2026-11-23T10:00:00"))).toEqual(sh("2026-11-23T10:00:00"));
  });

  it("gives the closing time when open and the opening time when closed", () => {
    expect(nextChange(shanghai, sh("2026-11-23T10:00:00"))).toEqual(sh("2026-11-23T12:00:00"));
    expect(nextChange(shanghai, sh("2026-11-23T12:00:00"))).toEqual(sh("2026-11-23T13:00:00"));
    expect(nextChange(shanghai, sh("2026-11-20T18:00:00"))).toEqual(sh("2026-11-23T09:00:00"));
  });

  it("treats a night shift written as two touching spans as one opening", () => {
    const night: BusinessCalendar = {
      timeZone: "Asia/Shanghai",
      weeklyHours: { mon: [["22:00", "24:00"]], tue: [["00:00", "06:00"]] },
      holidays: [],
      extraWorkdays: [],
    };
    expect(isOpenAt(night, sh("2026-11-23T23:59:00"))).toBe(true);
    expect(isOpenAt(night, sh("2026-11-24T00:00:00"))).toBe(true);
    expect(nextChange(night, sh("2026-11-23T23:00:00"))).toEqual(sh("2026-11-24T06:00:00"));
    expect(addBusinessMs(night, sh("2026-11-23T23:00:00"), 3 * H)).toEqual(sh("2026-11-24T02:00:00"));
  });

  it("finds the closing of a round-the-clock calendar at its next holiday", () => {
    const allDay: Span[] = [["00:00", "24:00"]];
    const cal: BusinessCalendar = {
      timeZone: "Asia/Shanghai",
      weeklyHours: { sun: allDay, mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay },
      holidays: [{ date: "2026-12-25" }],
      extraWorkdays: [],
    };
    expect(nextChange(cal, sh("2026-12-20T10:00:00"))).toEqual(sh("2026-12-25T00:00:00"));
    expect(nextChange(cal, sh("2026-12-25T10:00:00"))).toEqual(sh("2026-12-26T00:00:00"));
  });
});

describe("time zones and daylight saving", () => {
  it("reads the weekly hours in the calendar's own zone", () => {
    // 09:00 in Berlin in November (CET, UTC+1) is 08:00Z; in Shanghai it is 01:00Z
    expect(nextOpening(berlin, new Date("2026-11-23T00:00:00Z"))).toEqual(new Date("2026-11-23T08:00:00Z"));
    expect(nextOpening(shanghai, new Date("2026-11-23T00:00:00Z"))).toEqual(new Date("2026-11-23T01:00:00Z"));
    expect(localDate(shanghai, new Date("2026-11-22T16:30:00Z"))).toBe("2026-11-23");
    expect(localDate(berlin, new Date("2026-11-22T16:30:00Z"))).toBe("2026-11-22");
  });

  it("counts the spring-forward night's 01:00–05:00 shift as 3 hours", () => {
    // 29 Mar 2026: 02:00 CET becomes 03:00 CEST; 01:00 CET = 00:00Z, 05:00 CEST = 03:00Z
    expect(nextOpening(berlin, new Date("2026-03-28T12:00:00Z"))).toEqual(new Date("2026-03-29T00:00:00Z"));
    expect(nextChange(berlin, new Date("2026-03-29T00:30:00Z"))).toEqual(new Date("2026-03-29T03:00:00Z"));
    expect(businessMsBetween(berlin, new Date("2026-03-28T12:00:00Z"), new Date("2026-03-29T12:00:00Z"))).toBe(3 * H);
    // 4 h from the shift's start: 3 h on Sunday, then Monday 09:00 CEST (07:00Z) + 1 h
    expect(addBusinessMs(berlin, new Date("2026-03-29T00:00:00Z"), 4 * H)).toEqual(new Date("2026-03-30T08:00:00Z"));
  });

  it("counts the fall-back night's 01:00–05:00 shift as 5 hours", () => {
    // 25 Oct 2026: 03:00 CEST becomes 02:00 CET; 01:00 CEST = 23:00Z the day before, 05:00 CET = 04:00Z
    expect(nextOpening(berlin, new Date("2026-10-24T12:00:00Z"))).toEqual(new Date("2026-10-24T23:00:00Z"));
    expect(businessMsBetween(berlin, new Date("2026-10-24T12:00:00Z"), new Date("2026-10-25T12:00:00Z"))).toBe(5 * H);
    expect(isOpenAt(berlin, new Date("2026-10-25T03:59:00Z"))).toBe(true);
    expect(isOpenAt(berlin, new Date("2026-10-25T04:00:00Z"))).toBe(false);
  });

  it("carries a target across the weekend the clocks change", () => {
    // Friday 27 Mar 16:00 CET (15:00Z) + 5 h: 1 h on Friday, 3 h on the Sunday shift, Monday 09:00 CEST (07:00Z) + 1 h
    expect(addBusinessMs(berlin, new Date("2026-03-27T15:00:00Z"), 5 * H)).toEqual(new Date("2026-03-30T08:00:00Z"));
  });

  it("opens a span that starts inside the skipped hour when the clock reaches its end", () => {
    const cal: BusinessCalendar = { timeZone: "Europe/Berlin", weeklyHours: { sun: [["02:00", "03:00"], ["02:30", "04:00"]] }, holidays: [], extraWorkdays: [] };
    // 02:00–03:00 does not exist on 29 Mar; 02:30–04:00 is 03:30–04:00 CEST (01:30Z–02:00Z)
    expect(businessMsBetween(cal, new Date("2026-03-28T12:00:00Z"), new Date("2026-03-29T12:00:00Z"))).toBe(30 * M);
    expect(nextOpening(cal, new Date("2026-03-28T12:00:00Z"))).toEqual(new Date("2026-03-29T01:30:00Z"));
  });
});

describe("24×7 and calendars that never open", () => {
  it("treats no calendar as always open", () => {
    const at = new Date("2026-11-21T03:00:00Z");
    expect(isOpenAt(null, at)).toBe(true);
    expect(addBusinessMs(null, at, 90 * M)).toEqual(new Date("2026-11-21T04:30:00Z"));
    expect(businessMsBetween(null, at, new Date("2026-11-22T03:00:00Z"))).toBe(24 * H);
    expect(nextOpening(null, at)).toEqual(at);
    expect(nextChange(null, at)).toBeNull();
  });

  it("returns null rather than looping when the calendar never opens again", () => {
    const cal: BusinessCalendar = { timeZone: "Asia/Shanghai", weeklyHours: {}, holidays: [], extraWorkdays: [{ date: "2026-10-10", hours: [["09:00", "18:00"]] }] };
    expect(nextOpening(cal, sh("2026-10-11T00:00:00"))).toBeNull();
    expect(addBusinessMs(cal, sh("2026-10-11T00:00:00"), H)).toBeNull();
    expect(businessMsBetween(cal, sh("2026-10-09T00:00:00"), sh("2027-10-09T00:00:00"))).toBe(9 * H);
    expect(addBusinessMs(cal, sh("2026-10-01T00:00:00"), H)).toEqual(sh("2026-10-10T10:00:00"));
  });
});
