package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capstan sim placement} and {@code capstan sim queueing} end to end on small hand-made traces, in process. */
class SimCommandTest {
  @TempDir
  Path dir;

  private static InProcessCli.Outcome capstan(String... args) {
    return InProcessCli.run(args);
  }

  private Path nodes() throws Exception {
    return Files.writeString(dir.resolve("nodes.csv"), """
        sn,cpu_milli,memory_mib,gpu,model
        a,64000,262144,8,G2
        b,32000,131072,2,T4
        c,32000,131072,2,T4
        """);
  }

  private Path pods() throws Exception {
    return Files.writeString(dir.resolve("openb_pod_list_default.csv"), """
        name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec
        p0,8000,16384,1,1000,
        p1,4000,8192,1,500,
        p2,2000,4096,0,0,
        p3,16000,32768,4,1000,G2
        p4,4000,8192,1,250,
        """);
  }

  @Test
  void writesTheCsvTheChartAndTheTable() throws Exception {
    Path out = dir.resolve("out");
    InProcessCli.Outcome run = capstan("sim", "placement", "--nodes", nodes().toString(), "--pods", pods().toString(),
        "--policy", "fgd,bestfit,capstan", "--seeds", "42-43", "--out", out.toString());
    assertEquals(0, run.exitCode(), run.err());
    List<String> csv = Files.readAllLines(out.resolve("allocation.csv"));
    assertEquals("policy,seed,arrived_pct,allocated_pct", csv.getFirst());
    assertEquals(1 + 3 * 2 * 131, csv.size(), "3 policies x 2 seeds x arrived 0..130 %");
    assertTrue(csv.getLast().startsWith("capstan,43,130,"), csv.getLast());
    assertTrue(csv.stream().anyMatch(l -> l.matches("fgd,42,\\d+,\\d+\\.\\d\\d")), "allocated percents with two decimals");
    assertTrue(Files.readString(out.resolve("allocation.svg")).contains("<svg"));
    assertTrue(run.out().contains("fgd") && run.out().contains("95.23"), run.out());
    assertTrue(run.out().contains("6 runs (3 nodes, 5 trace tasks"), run.out());
  }

  @Test
  void aBadRowIsNamedByLineAndExitsWithTwo() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.csv"), "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,8000,16384,1,1000\np1,4000,8192,3,500\n");
    InProcessCli.Outcome run = capstan("sim", "placement", "--nodes", nodes().toString(), "--pods", bad.toString(),
        "--policy", "fgd", "--out", dir.resolve("o").toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("bad.csv:3: num_gpu 3 with gpu_milli 500"), run.err());
  }

  @Test
  void badOptionsAreRefusedWithAReason() throws Exception {
    String n = nodes().toString();
    String p = pods().toString();
    String o = dir.resolve("o").toString();
    InProcessCli.Outcome policy = capstan("sim", "placement", "--nodes", n, "--pods", p, "--policy", "tetris", "--out", o);
    assertEquals(2, policy.exitCode());
    assertTrue(policy.err().contains("unknown placement policy 'tetris'"), policy.err());
    InProcessCli.Outcome seeds = capstan("sim", "placement", "--nodes", n, "--pods", p, "--policy", "fgd", "--seeds", "1-1000", "--out", o);
    assertEquals(2, seeds.exitCode());
    assertTrue(seeds.err().contains("at most 100 seeds"), seeds.err());
    InProcessCli.Outcome ratio = capstan("sim", "placement", "--nodes", n, "--pods", p, "--policy", "fgd", "--ratio", "50", "--out", o);
    assertEquals(2, ratio.exitCode());
    assertTrue(ratio.err().contains("--ratio must be in (0, 5.0]"), ratio.err());
  }

  @Test
  void queueingWritesTheCsvsTheChartAndTheTable() throws Exception {
    Path trace = Files.writeString(dir.resolve("jobs.csv"), """
        timestamp,duration,num_gpus,gpu_time,cluster
        2017-10-09 07:00:00,3000,8,24000.0,a
        2017-10-09 07:01:00,600,4,2400.0,a
        2017-10-09 07:02:00,60,16,960.0,b
        2017-10-09 07:03:00,7200,1,7200.0,b
        """);
    Path out = dir.resolve("q");
    InProcessCli.Outcome run = capstan("sim", "queueing", "--trace", trace.toString(), "--policy", "all", "--gpus", "16",
        "--seeds", "1-2", "--out", out.toString());
    assertEquals(0, run.exitCode(), run.err());
    List<String> jobs = Files.readAllLines(out.resolve("jobs.csv"));
    assertEquals("policy,seed,job,arrival,gpus,duration,start,finish,jct,queued,preemptions", jobs.getFirst());
    assertEquals(1 + 4 * 2 * 4, jobs.size(), "4 policies x 2 seeds x 4 jobs");
    assertEquals(1 + 4 * 2, Files.readAllLines(out.resolve("summary.csv")).size());
    assertTrue(Files.readString(out.resolve("jct-cdf.svg")).contains("<svg"));
    assertTrue(run.out().contains("las ") && run.out().contains("8 runs (4 jobs, 16 GPUs in 2 nodes)"), run.out());
  }

  @Test
  void queueingRefusesAClusterThatCannotHoldAJob() throws Exception {
    Path trace = Files.writeString(dir.resolve("jobs.csv"), "timestamp,duration,num_gpus\n2017-10-09 07:00:00,30,16\n");
    InProcessCli.Outcome run = capstan("sim", "queueing", "--trace", trace.toString(), "--policy", "fifo", "--gpus", "8",
        "--out", dir.resolve("q").toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("job 0 needs 16 GPUs; the cluster has 8"), run.err());
    InProcessCli.Outcome gpus = capstan("sim", "queueing", "--trace", trace.toString(), "--policy", "fifo", "--gpus", "12",
        "--out", dir.resolve("q").toString());
    assertTrue(gpus.err().contains("--gpus 12 must be a positive multiple of --gpus-per-node 8"), gpus.err());
  }
}
