package dev.capstan.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.placement.BestFit;
import dev.capstan.core.placement.GpuNode;
import dev.capstan.core.placement.PlacementPolicies;
import dev.capstan.core.placement.PodRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment on a small trace: inflation, determinism per seed, the allocation curve and its report. */
class PlacementExperimentTest {
  @TempDir
  Path dir;

  private PlacementExperiment experiment() throws Exception {
    return new PlacementExperiment(NodeListCsv.read(TestingTraces.write(dir, "nodes.csv", TestingTraces.NODES)),
        PodListCsv.read(TestingTraces.write(dir, "pods.csv", TestingTraces.PODS)), 1.3);
  }

  @Test
  void inflationKeepsTheTraceThenAddsCopiesUpToTheRatio() throws Exception {
    List<TracePod> trace = PodListCsv.read(TestingTraces.write(dir, "pods.csv", TestingTraces.PODS));
    List<PodRequest> arrivals = WorkloadInflation.arrivals(trace, 17_000, 1.3, new SplittableRandom(1));
    long asked = arrivals.stream().mapToLong(PodRequest::totalGpuMilli).sum();
    assertTrue(asked <= 1.3 * 17_000, "at most 130 % of capacity: " + asked);
    assertTrue(asked > 1.3 * 17_000 - 4_000, "stops only when the next copy would not fit: " + asked);
    assertEquals(trace.stream().map(TracePod::request).sorted(java.util.Comparator.comparing(Object::toString)).toList(),
        arrivals.subList(0, trace.size()).stream().sorted(java.util.Comparator.comparing(Object::toString)).toList(),
        "the trace's own tasks come first, in a shuffled order");
    List<PodRequest> fewer = WorkloadInflation.arrivals(trace, 17_000, 0.3, new SplittableRandom(1));
    assertTrue(fewer.stream().mapToLong(PodRequest::totalGpuMilli).sum() <= 0.3 * 17_000, "a smaller ratio drops tasks");
  }

  @Test
  void aSeedFixesTheRun() throws Exception {
    PlacementExperiment experiment = experiment();
    for (PlacementPolicies policy : PlacementPolicies.values()) {
      var first = experiment.run(policy, 42, n -> {});
      var again = experiment.run(policy, 42, n -> {});
      for (int pct = 0; pct <= 130; pct++) {
        assertEquals(first.curve().at(pct), again.curve().at(pct), 0, policy + " at " + pct + " %");
      }
      assertEquals(first.unplaced(), again.unplaced());
    }
    assertEquals(experiment.arrivals(42), experiment.arrivals(42));
    assertNotEquals(experiment.arrivals(42), experiment.arrivals(43));
  }

  @Test
  void parallelRunsMatchSerialOnes() throws Exception {
    PlacementExperiment experiment = experiment();
    List<PlacementPolicies> policies = List.of(PlacementPolicies.FGD, PlacementPolicies.RANDOM);
    var parallel = experiment.runAll(policies, List.of(1L, 2L, 3L), 4, n -> {});
    assertEquals(6, parallel.size());
    for (var run : parallel) {
      var serial = experiment.run(PlacementPolicies.named(run.policy()), run.seed(), n -> {});
      assertEquals(serial.curve().at(100), run.curve().at(100), 0);
    }
  }

  @Test
  void theReplayAllocatesWhatItPlacesAndNeverOverfills() throws Exception {
    List<GpuNode> nodes = NodeListCsv.read(TestingTraces.write(dir, "nodes.csv", TestingTraces.NODES));
    PlacementReplay replay = new PlacementReplay(nodes, new BestFit(), new SplittableRandom(3));
    for (int i = 0; i < 30; i++) {
      replay.arrive(PodRequest.wholeGpus(1_000, 1_024, 1));
    }
    assertEquals(17_000, replay.allocatedMilli(), "17 GPUs, each taken once");
    assertEquals(13, replay.unplaced());
    assertEquals(30, replay.clock());
    assertTrue(replay.nodes().stream().allMatch(n -> n.totalGpuLeft() == 0));
  }

  @Test
  void theCurveAveragesSamplesAtEachPercentAndFallsBackToNeighbours() {
    AllocationCurve curve = new AllocationCurve(10_000, 130);
    curve.record(1_000, 1_000);
    curve.record(1_040, 800);
    curve.record(3_000, 2_500);
    assertEquals(9.0, curve.at(10), 1e-9, "10 % arrived: samples at 10.0 % and 10.4 %");
    assertEquals(9.0, curve.at(11), 1e-9, "no sample at 11 %: those within one percent");
    assertTrue(Double.isNaN(curve.at(20)));
    assertEquals(25.0, curve.at(30), 1e-9);
  }

  @Test
  void theReportWritesEveryPercentAndAChart() throws Exception {
    var runs = experiment().runAll(List.of(PlacementPolicies.FGD, PlacementPolicies.BESTFIT), List.of(42L), 2, n -> {});
    AllocationReport report = new AllocationReport(runs, "openb_pod_list_default.csv");
    report.writeCsv(dir.resolve("allocation.csv"));
    List<String> lines = Files.readAllLines(dir.resolve("allocation.csv"));
    assertEquals(AllocationReport.CSV_HEADER, lines.getFirst());
    assertEquals(1 + 2 * 131, lines.size());
    assertTrue(lines.get(1).startsWith("fgd,42,0,"));
    assertTrue(report.table().contains("95.23"), "the published FGD figure stands beside ours:\n" + report.table());
    AllocationChart.writeSvg(report.meanCurves(), "test", dir.resolve("allocation.svg"));
    String svg = Files.readString(dir.resolve("allocation.svg"));
    assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.contains("fgd"), svg.substring(0, 200));
  }
}
