package dev.capstan.train.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array (format versions 1–3, C order) of float32/64, int8/16/32/64 or uint8,
 * read as floats.
 */
public record NpyArray(int[] shape, float[] values) {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=])([fiu])(\\d)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  public static NpyArray read(InputStream raw, String name) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    byte[] magic = new byte[6];
    in.readFully(magic);
    if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
      throw new IOException(name + ": not a .npy file");
    }
    int major = in.readUnsignedByte();
    in.readUnsignedByte();
    byte[] lengthBytes = new byte[major == 1 ? 2 : 4];
    in.readFully(lengthBytes);
    ByteBuffer lb = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = major == 1 ? Short.toUnsignedInt(lb.getShort()) : lb.getInt();
    byte[] headerBytes = new byte[headerLength];
    in.readFully(headerBytes);
    String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher order = ORDER.matcher(header);
    Matcher shapeMatch = SHAPE.matcher(header);
    if (!descr.find() || !order.find() || !shapeMatch.find()) {
      throw new IOException(name + ": unsupported .npy header " + header.trim());
    }
    if (order.group(1).equals("True")) {
      throw new IOException(name + ": Fortran-ordered arrays are not supported");
    }
    int[] shape = Arrays.stream(shapeMatch.group(1).split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    long count = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
    char kind = descr.group(2).charAt(0);
    int width = Integer.parseInt(descr.group(3));
    ByteOrder byteOrder = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    byte[] body = in.readNBytes((int) (count * width));
    if (body.length != count * width) {
      throw new IOException(name + ": truncated, expected " + count * width + " data bytes");
    }
    ByteBuffer data = ByteBuffer.wrap(body).order(byteOrder);
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (kind + String.valueOf(width)) {
        case "f4" -> data.getFloat();
        case "f8" -> (float) data.getDouble();
        case "i1" -> data.get();
        case "u1" -> Byte.toUnsignedInt(data.get());
        case "i2" -> data.getShort();
        case "i4" -> data.getInt();
        case "i8" -> data.getLong();
        default -> throw new IOException(name + ": unsupported dtype " + kind + width);
      };
    }
    return new NpyArray(shape, values);
  }
}
