import { describe, expect, it } from "vitest";
import { NOW, item, queue } from "./fixtures.ts";
import { orderItems } from "./order.ts";

describe("serving order", () => {
  const items = [
    item({ id: "old-normal", waited: 300 }),
    item({ id: "new-vip", vip: true, waited: 5 }),
    item({ id: "urgent", priority: 2, waited: 60 }),
    item({ id: "older-vip", vip: true, waited: 90 }),
    item({ id: "newer-normal", waited: 30 }),
    item({ id: "urgent-vip", vip: true, priority: 2, waited: 1 }),
  ];

  it("puts VIP items first, then higher priority, then first come first served", () => {
    const order = orderItems(items, queue({ vipFirst: true })).map((i) => i.id);
    expect(order).toEqual(["urgent-vip", "older-vip", "new-vip", "urgent", "old-normal", "newer-normal"]);
  });

  it("ignores VIP when the queue does not put VIPs first", () => {
    const order = orderItems(items, queue({ vipFirst: false })).map((i) => i.id);
    expect(order).toEqual(["urgent", "urgent-vip", "old-normal", "older-vip", "newer-normal", "new-vip"]);
  });

  it("keeps the input order of equal items and leaves the input alone", () => {
    const twins = [item({ id: "first", enqueuedAt: NOW }), item({ id: "second", enqueuedAt: NOW }), item({ id: "third", enqueuedAt: NOW })];
    expect(orderItems(twins, queue()).map((i) => i.id)).toEqual(["first", "second", "third"]);
    const before = items.map((i) => i.id);
    orderItems(items, queue({ vipFirst: true }));
    expect(items.map((i) => i.id)).toEqual(before);
  });
});
