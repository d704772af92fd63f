/** A mono 16-bit PCM WAV file of the given samples. */
export function wavFile(samples: Int16Array, sampleRate = 8000): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** The samples of a mono 16-bit PCM WAV file written by `wavFile` (tests and the player's checks). */
export function wavSamples(file: Buffer): { sampleRate: number; samples: Int16Array } {
  if (file.toString("ascii", 0, 4) !== "RIFF" || file.toString("ascii", 8, 12) !== "WAVE") throw new Error("not a WAV file");
  const sampleRate = file.readUInt32LE(24);
  const length = file.readUInt32LE(40);
  const copy = Buffer.from(file.subarray(44, 44 + length));
  return { sampleRate, samples: new Int16Array(copy.buffer, copy.byteOffset, copy.length / 2) };
}
