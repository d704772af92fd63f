import { DEFAULT_IVR, ZTrunkInput, type Trunk } from "@yixian/contracts";
import { describe, expect, it } from "vitest";
import { dictionaries } from "./i18n.tsx";
import { draftOf, drops, emptyDid, problems, storedSecrets, toInput, type TrunkDraft } from "./trunk-draft.ts";

const e = dictionaries.en.trunks.errors;

const stored: Trunk = {
  id: "01a2011a-4c56-73c1-9915-0701b53d170c",
  name: "电信 SIP 中继",
  hosts: ["198.51.100.10:5060"],
  transport: "udp",
  allowedSources: [],
  digestUsername: "carrier",
  registration: { registrar: "sip.carrier.example", username: "acct-1", expiresSeconds: 600 },
  registrationStatus: { state: "registered", reason: null, since: "2026-12-07T02:00:00.000Z", expiresAt: "2026-12-07T02:10:00.000Z" },
  callerId: "+864001234567",
  dids: [{ number: "+864001234567", label: "400 热线", queueId: null, ivr: { ...DEFAULT_IVR, language: "zh-CN" } }],
  enabled: true,
  createdAt: "2026-12-07T02:00:00.000Z",
  updatedAt: "2026-12-07T02:00:00.000Z",
};

function filled(patch: Partial<TrunkDraft> = {}): TrunkDraft {
  return { ...draftOf(null), name: "联通中继", hosts: "198.51.100.10:5060\n[2001:db8::1]:5080", sources: "203.0.113.0/28, 2001:db8::/32", ...patch };
}

describe("the trunk form's draft", () => {
  it("turns a valid draft into a body the server's schema takes as it is", () => {
    const draft = filled({ dids: [{ ...emptyDid(), number: " +8675512345678 ", label: "", queueId: "" }], callerId: "+8675512345678" });
    expect(problems(draft, storedSecrets(null), e)).toEqual({});
    const body = toInput(draft);
    expect(body).toMatchObject({ hosts: ["198.51.100.10:5060", "[2001:db8::1]:5080"], allowedSources: ["203.0.113.0/28", "2001:db8::/32"], digest: null, registration: null });
    expect(body.dids).toEqual([{ number: "+8675512345678", label: null, queueId: null }]);
    expect(ZTrunkInput.safeParse(body).success).toBe(true);
  });

  it("names each input the server would refuse, with the reason", () => {
    const draft = filled({
      name: " ",
      hosts: "bad host!",
      sources: "",
      callerId: "4001234567",
      registrationOn: true,
      registrar: "",
      registrationUser: "",
      registrationPassword: "short",
      expires: "30",
      dids: [
        { ...emptyDid(), number: "+864001234567" },
        { ...emptyDid(), number: "+864001234567" },
        { ...emptyDid(), number: "010-1234" },
      ],
    });
    expect(problems(draft, storedSecrets(null), e)).toEqual({
      name: e.name,
      hosts: e.badHosts("bad host!"),
      sources: e.open,
      callerId: e.e164,
      registrar: e.registrar,
      registrationUser: e.username,
      registrationPassword: e.password,
      expires: e.expires,
      "dids.1.number": e.duplicate,
      "dids.2.number": e.e164,
    });
    expect(ZTrunkInput.safeParse(toInput({ ...draft, registrationPassword: "long enough secret" })).success).toBe(false);
  });

  it("needs a digest password on a new trunk; on a stored one an empty password removes the section, as PUT does", () => {
    const fresh = filled({ sources: "", digestOn: true, digestUser: "carrier" });
    expect(problems(fresh, storedSecrets(null), e)).toEqual({ digestPassword: e.password });

    const edited = draftOf(stored);
    expect(edited).toMatchObject({ digestOn: true, digestUser: "carrier", digestPassword: "", registrationOn: true, registrationPassword: "", expires: "600" });
    expect(drops(edited, storedSecrets(stored))).toEqual({ digest: true, registration: true });
    // without the digest, this trunk has nothing left that says who may call
    expect(problems(edited, storedSecrets(stored), e)).toEqual({ sources: e.open });
    const withSources = { ...edited, sources: "198.51.100.0/28" };
    expect(problems(withSources, storedSecrets(stored), e)).toEqual({});
    expect(toInput(withSources)).toMatchObject({ digest: null, registration: null });

    const kept = { ...edited, digestPassword: "a long digest secret", registrationPassword: "registration secret" };
    expect(drops(kept, storedSecrets(stored))).toEqual({ digest: false, registration: false });
    expect(problems(kept, storedSecrets(stored), e)).toEqual({});
    expect(toInput(kept)).toMatchObject({
      digest: { username: "carrier", password: "a long digest secret" },
      registration: { registrar: "sip.carrier.example", username: "acct-1", password: "registration secret", expiresSeconds: 600 },
    });
    expect(ZTrunkInput.safeParse(toInput(kept)).success).toBe(true);
  });
});
