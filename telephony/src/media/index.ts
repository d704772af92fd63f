export { DtmfListener, parseDtmfEvent, type DtmfDigit } from "./dtmf-events.ts";
export { MediaServer, type AnswerInput, type MediaProfile, type OfferInput } from "./media-server.ts";
export { MediaServerError, NgClient, type NgClientOptions } from "./ng-client.ts";
export { packetsToWav, recordingToWav, rtpSamples, type CallAudio, type LegAudio, type RecordedLeg } from "./recording/recording-to-wav.ts";
export { wavFile, wavSamples } from "./recording/wav.ts";
export { RtpengineProcess, rtpengineInstalled, RTPENGINE_BINARY, type RtpengineOptions } from "./rtpengine-process.ts";
