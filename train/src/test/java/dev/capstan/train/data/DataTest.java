package dev.capstan.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {
  @TempDir
  Path dir;

  @Test
  void digitsShipWithTheModule() throws IOException {
    Dataset digits = DataSource.load("digits", dir, 1);
    assertEquals(1797, digits.size());
    assertEquals(10, digits.classes());
    assertArrayEquals(new int[] {1, 8, 8}, digits.sampleShape());
  }

  @Test
  void csvWithHeaderAndLabelLast() throws IOException {
    Dataset data = CsvData.read(new ByteArrayInputStream("a,b,label\n1,2,0\n3,4.5,2\n".getBytes(StandardCharsets.UTF_8)),
        false, "t.csv");
    assertArrayEquals(new float[] {1, 2, 3, 4.5f}, data.features());
    assertArrayEquals(new int[] {0, 2}, data.labels());
    assertEquals(3, data.classes());
  }

  @Test
  void csvErrorsNameTheLine() {
    IOException error = assertThrows(IOException.class, () -> CsvData.read(
        new ByteArrayInputStream("1,2,0\n1,x,1\n".getBytes(StandardCharsets.UTF_8)), false, "t.csv"));
    assertTrue(error.getMessage().startsWith("t.csv:2:"), error.getMessage());
  }

  @Test
  void npyFeaturesAndLabels() throws IOException {
    Files.write(dir.resolve("x.npy"), npy("<f4", "(2, 3)", ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
        .putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(5).putFloat(6).array()));
    Files.write(dir.resolve("y.npy"), npy("<i8", "(2,)", ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(1).putLong(0).array()));
    Dataset data = DataSource.load("x.npy,y.npy", dir, 1);
    assertArrayEquals(new int[] {3}, data.sampleShape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, data.features());
    assertArrayEquals(new int[] {1, 0}, data.labels());
  }

  @Test
  void syntheticDataIsSeeded() throws IOException {
    Dataset a = DataSource.load("synthetic:100:8:4", dir, 7);
    Dataset b = DataSource.load("synthetic:100:8:4", dir, 7);
    assertArrayEquals(a.features(), b.features());
    assertEquals(4, a.classes());
  }

  @Test
  void shardsOfAllRanksMakeUpTheGlobalBatchAndEpochsCoverEverySample() {
    BatchPlan single = new BatchPlan(50, 10, 3);
    for (int world : new int[] {2, 3, 4}) {
      BatchPlan plan = new BatchPlan(50, 10, 3);
      for (long start = 0; start < 120; start += 10) {
        long position = start;
        int[] joined = IntStream.range(0, world).flatMap(r -> Arrays.stream(plan.shard(position, r, world))).toArray();
        assertArrayEquals(single.shard(position, 0, 1), joined);
      }
    }
    int[] epoch = IntStream.range(0, 5).flatMap(k -> Arrays.stream(single.shard(k * 10L, 0, 1))).sorted().toArray();
    assertArrayEquals(IntStream.range(0, 50).toArray(), epoch);
  }

  private static byte[] npy(String descr, String shape, byte[] body) {
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = 10 + header.length() + 1;
    header = header + " ".repeat((64 - total % 64) % 64) + "\n";
    ByteBuffer out = ByteBuffer.allocate(10 + header.length() + body.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
    out.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1)).put(body);
    return out.array();
  }
}
