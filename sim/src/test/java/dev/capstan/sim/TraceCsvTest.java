package dev.capstan.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.placement.GpuNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading node and pod lists: the good fixture, and each kind of bad row named by line and reason. */
class TraceCsvTest {
  @TempDir
  Path dir;

  @Test
  void readsTheFixture() throws Exception {
    List<GpuNode> nodes = NodeListCsv.read(TestingTraces.write(dir, "nodes.csv", TestingTraces.NODES));
    assertEquals(6, nodes.size());
    assertEquals(new GpuNode("node-2", 96_000, 393_216, 8, "G2"), nodes.get(2));
    assertEquals("", nodes.get(5).gpuModel());
    List<TracePod> pods = PodListCsv.read(TestingTraces.write(dir, "pods.csv", TestingTraces.PODS));
    assertEquals(11, pods.size());
    assertEquals(Set.of("V100M16", "G2"), pods.get(5).request().gpuModels());
    assertEquals(Set.of(), pods.get(10).request().gpuModels(), "nan is no constraint");
    assertTrue(pods.get(1).request().isGpuShare());
  }

  @Test
  void columnsAreFoundByNameAndGpuSpecIsOptional() throws Exception {
    Path file = TestingTraces.write(dir, "p.csv", "gpu_milli,num_gpu,name,memory_mib,cpu_milli\n1000,8,big,1024,64000\n");
    assertEquals(8, PodListCsv.read(file).getFirst().request().gpuCount());
  }

  @Test
  void badPodRowsNameTheirLineAndReason() {
    String header = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\n";
    assertPodError(header + "a,1000,1,1,500,\nb,ten,1,0,0,\n", 3, "cpu_milli 'ten' is not an integer");
    assertPodError(header + "a,1000,1,1,1500,\n", 2, "gpu_milli 1500 is outside 0..1000");
    assertPodError(header + "a,1000,1,2,500,\n", 2, "a share of a GPU is asked with num_gpu 1");
    assertPodError(header + "a,1000,1,1,0,\n", 2, "num_gpu 1 with gpu_milli 0");
    assertPodError(header + "a,1000,1,65,1000,\n", 2, "num_gpu 65 is outside 0..64");
    assertPodError(header + "a,-5,1,0,0,\n", 2, "cpu_milli -5 is outside");
    assertPodError(header + "a,1000,1\n", 2, "fewer than the header");
    assertPodError("name,cpu_milli,num_gpu,gpu_milli\n", 1, "no column 'memory_mib'");
    assertPodError(header + "a," + "1".repeat(5000) + ",1,0,0,\n", 2, "line longer than 4096");
    assertPodError(header, 0, "lists no pods");
    assertPodError(header + ",1000,1,0,0,\n", 2, "name must be 1..253 characters");
  }

  @Test
  void badNodeRowsNameTheirLineAndReason() {
    String header = "sn,cpu_milli,memory_mib,gpu,model\n";
    assertNodeError(header + "n0,1000,1,2,\n", 2, "has 2 GPUs but no model");
    assertNodeError(header + "n0,1000,1,2,T4\nn0,1000,1,2,T4\n", 3, "listed twice");
    assertNodeError(header + "n0,1000,1,99,T4\n", 2, "gpu 99 is outside 0..64");
    assertNodeError(header + "n0,1000,99999999999999,1,T4\n", 2, "memory_mib 99999999999999 is outside");
  }

  @Test
  void aJobTraceComesBackInArrivalOrderCountedFromTheFirst() throws Exception {
    List<TraceJob> jobs = PhillyTraceCsv.read(TestingTraces.write(dir, "jobs.csv", """
        timestamp,duration,num_gpus,gpu_time,cluster
        2017-10-09 07:01:55,66.0,1,66.0,11cb48
        2017-10-09 07:00:00,2951,8,23608.0,6214e9
        """));
    assertEquals(List.of(new TraceJob(0, 0, 2951, 8), new TraceJob(1, 115, 66, 1)), jobs);
  }

  @Test
  void badJobRowsNameTheirLineAndReason() {
    String header = "timestamp,duration,num_gpus\n";
    assertError(PhillyTraceCsv::read, header + "2017-10-09T07:01:55,66,1\n", 2, "is not yyyy-MM-dd HH:mm:ss");
    assertError(PhillyTraceCsv::read, header + "2017-10-09 07:01:55,66.5,1\n", 2, "must be a whole number of seconds");
    assertError(PhillyTraceCsv::read, header + "2017-10-09 07:01:55,0,1\n", 2, "must be a whole number of seconds");
    assertError(PhillyTraceCsv::read, header + "2017-10-09 07:01:55,66,0\n", 2, "num_gpus 0 is outside 1..4096");
    assertError(PhillyTraceCsv::read, "timestamp,num_gpus\n2017-10-09 07:01:55,1\n", 1, "no column 'duration'");
    assertError(PhillyTraceCsv::read, header, 0, "lists no jobs");
  }

  /** Reads a trace file the way one of the readers does. */
  private interface Reader {
    void read(Path file) throws Exception;
  }

  private void assertPodError(String text, int line, String reason) {
    assertError(PodListCsv::read, text, line, reason);
  }

  private void assertNodeError(String text, int line, String reason) {
    assertError(NodeListCsv::read, text, line, reason);
  }

  private void assertError(Reader reader, String text, int line, String reason) {
    TraceFormatException e = assertThrows(TraceFormatException.class,
        () -> reader.read(TestingTraces.write(dir, "bad.csv", text)));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains("bad.csv" + (line > 0 ? ":" + line : "")), e.getMessage());
  }
}
