package dev.capstan.train.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * What a checkpoint holds, and what rank 0 broadcasts on start: the step reached, the position in
 * the data stream, the parameters and the optimizer state. {@code fingerprint} names the
 * architecture and optimizer, so a checkpoint of another model is refused rather than misread.
 * Encoded as: magic, version, fields, then a CRC32C of all preceding bytes.
 */
public record TrainingState(long step, long samplesSeen, String fingerprint, float[] parameters, float[][] optimizerState) {
  private static final int MAGIC = 0x43434b50; // "CCKP"
  private static final int VERSION = 1;

  public byte[] encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 4 * parameters.length * (1 + optimizerState.length));
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(step);
      out.writeLong(samplesSeen);
      out.writeUTF(fingerprint);
      writeFloats(out, parameters);
      out.writeInt(optimizerState.length);
      for (float[] state : optimizerState) {
        writeFloats(out, state);
      }
      out.flush();
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes and verifies {@code bytes}; any damage (truncation, bit flips) is an IOException. */
  public static TrainingState decode(byte[] bytes) throws IOException {
    if (bytes.length < 16) {
      throw new IOException("truncated (" + bytes.length + " bytes)");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - Long.BYTES);
    if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - Long.BYTES, Long.BYTES).getLong()) {
      throw new IOException("checksum mismatch (torn or corrupt file)");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - Long.BYTES));
    if (in.readInt() != MAGIC || in.readInt() != VERSION) {
      throw new IOException("not a Capstan checkpoint of version " + VERSION);
    }
    long step = in.readLong();
    long samples = in.readLong();
    String fingerprint = in.readUTF();
    float[] parameters = readFloats(in);
    float[][] state = new float[in.readInt()][];
    for (int i = 0; i < state.length; i++) {
      state[i] = readFloats(in);
    }
    return new TrainingState(step, samples, fingerprint, parameters, state);
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
    buffer.asFloatBuffer().put(values);
    out.write(buffer.array());
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    int length = in.readInt();
    byte[] raw = in.readNBytes(length * Float.BYTES);
    if (raw.length != length * Float.BYTES) {
      throw new IOException("truncated");
    }
    float[] values = new float[length];
    ByteBuffer.wrap(raw).asFloatBuffer().get(values);
    return values;
  }
}
