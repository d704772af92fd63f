/** The call controller (decision 0018): trunk calls → conversations, rung to agents' phones, bridged, rated, recorded. */
export { admitTrunkCall, dialledNumber, type Admission } from "./admit.ts";
export { startCallMedia, type CallMedia } from "./call-media.ts";
export { CallController, type CallView } from "./controller.ts";
