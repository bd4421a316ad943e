package dev.capstan.cli;

import dev.capstan.core.placement.GpuNode;
import dev.capstan.core.placement.PlacementPolicies;
import dev.capstan.sim.AllocationChart;
import dev.capstan.sim.AllocationReport;
import dev.capstan.sim.NodeListCsv;
import dev.capstan.sim.PlacementExperiment;
import dev.capstan.sim.PhillyTraceCsv;
import dev.capstan.sim.PodListCsv;
import dev.capstan.sim.PreemptionCost;
import dev.capstan.sim.ProgressBar;
import dev.capstan.sim.JctChart;
import dev.capstan.sim.QueueingExperiment;
import dev.capstan.sim.QueueingPolicy;
import dev.capstan.sim.QueueingReport;
import dev.capstan.sim.QueueingRun;
import dev.capstan.sim.TraceJob;
import dev.capstan.sim.TraceFormatException;
import dev.capstan.sim.TracePod;
import dev.capstan.sim.WorkloadInflation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code capstan sim}: replays public cluster traces through Capstan's own placement code. */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = "Replay a cluster trace through Capstan's scheduling code on a simulated cluster.",
    subcommands = {SimCommand.Placement.class, SimCommand.Queueing.class})
final class SimCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code capstan sim placement}: the FGD experiment. */
  @Command(name = "placement", mixinStandardHelpOptions = true,
      description = {"The FGD experiment: the trace's tasks, then random copies until they ask for RATIO of the GPUs,",
          "arrive one by one with nothing departing; records the share of GPUs allocated at each 1 %% arrived.",
          "Writes DIR/allocation.csv and DIR/allocation.svg and prints a table beside the published figures."})
  static final class Placement implements Callable<Integer> {
    @Option(names = "--nodes", required = true, paramLabel = "NODES.csv",
        description = "Node list: sn,cpu_milli,memory_mib,gpu,model.")
    Path nodes;

    @Option(names = "--pods", required = true, paramLabel = "PODS.csv",
        description = "Pod list: name,cpu_milli,memory_mib,num_gpu,gpu_milli[,gpu_spec].")
    Path pods;

    @Option(names = "--policy", required = true, paramLabel = "POLICY[,POLICY…]",
        description = "random, dotprod, clustering, packing, bestfit, fgd, capstan, or all.")
    String policy;

    @Option(names = "--seeds", defaultValue = "42", paramLabel = "FROM-TO|S[,S…]",
        description = "Seeds, e.g. 42-51 (default: ${DEFAULT-VALUE}).")
    String seeds;

    @Option(names = "--ratio", defaultValue = "1.3", paramLabel = "RATIO",
        description = "Workload as a share of GPU capacity (default: ${DEFAULT-VALUE}).")
    double ratio;

    @Option(names = "--threads", paramLabel = "N", description = "Runs at once (default: the number of cores).")
    Integer threads;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the CSV and chart go.")
    Path out;

    @Override
    public Integer call() throws IOException, InterruptedException {
      List<PlacementPolicies> policies = policies(policy);
      List<Long> seedList = seeds(seeds);
      if (!(ratio > 0 && ratio <= WorkloadInflation.MAX_RATIO)) {
        throw new CliErrors.UserError("--ratio must be in (0, " + WorkloadInflation.MAX_RATIO + "], not " + ratio, 2);
      }
      int threadCount = threads(threads);
      List<GpuNode> cluster;
      List<TracePod> trace;
      try {
        cluster = NodeListCsv.read(nodes);
        trace = PodListCsv.read(pods);
      } catch (TraceFormatException e) {
        throw new CliErrors.UserError("bad trace: " + e.getMessage(), 2);
      }
      PlacementExperiment experiment;
      try {
        experiment = new PlacementExperiment(cluster, trace, ratio);
      } catch (IllegalArgumentException e) {
        throw new CliErrors.UserError(e.getMessage(), 2);
      }
      Files.createDirectories(out);
      System.setProperty("java.awt.headless", "true");
      ProgressBar bar = new ProgressBar(System.err, experiment.totalArrivals(policies.size(), seedList),
          System.console() != null);
      long started = System.nanoTime();
      List<PlacementExperiment.Run> runs = experiment.runAll(policies, seedList, threadCount, bar);
      double seconds = (System.nanoTime() - started) / 1e9;
      String podList = pods.getFileName().toString();
      AllocationReport report = new AllocationReport(runs, podList);
      report.writeCsv(out.resolve("allocation.csv"));
      AllocationChart.writeSvg(report.meanCurves(), "GPU allocation, " + podList, out.resolve("allocation.svg"));
      System.out.print(report.table());
      System.out.printf(Locale.ROOT, "%d runs (%d nodes, %d trace tasks, ratio %.2f) in %.1f s on %d threads; wrote %s and %s%n",
          runs.size(), cluster.size(), trace.size(), ratio, seconds, Math.min(threadCount, runs.size()),
          out.resolve("allocation.csv"), out.resolve("allocation.svg"));
      return 0;
    }

    static List<PlacementPolicies> policies(String text) {
      return chosen(text, List.of(PlacementPolicies.values()), PlacementPolicies::named);
    }

    /** One name, a comma-separated list, or {@code all}. */
    static <P> List<P> chosen(String text, List<P> all, Function<String, P> named) {
      if (text.strip().equals("all")) {
        return all;
      }
      LinkedHashSet<P> chosen = new LinkedHashSet<>();
      for (String name : text.split(",")) {
        try {
          chosen.add(named.apply(name.strip()));
        } catch (IllegalArgumentException e) {
          throw new CliErrors.UserError("--policy: " + e.getMessage(), 2);
        }
      }
      return List.copyOf(chosen);
    }

    static int threads(Integer given) {
      int count = given == null ? Runtime.getRuntime().availableProcessors() : given;
      if (count < 1 || count > 256) {
        throw new CliErrors.UserError("--threads must be 1..256, not " + count, 2);
      }
      return count;
    }

    static List<Long> seeds(String text) {
      List<Long> seeds = new ArrayList<>();
      try {
        for (String part : text.split(",")) {
          String p = part.strip();
          int dash = p.indexOf('-', 1);
          long from = Long.parseLong(dash < 0 ? p : p.substring(0, dash));
          long to = dash < 0 ? from : Long.parseLong(p.substring(dash + 1));
          if (to < from || to - from >= PlacementExperiment.MAX_SEEDS) {
            throw new CliErrors.UserError("--seeds: range " + p + " must run upwards and hold at most "
                + PlacementExperiment.MAX_SEEDS + " seeds", 2);
          }
          for (long s = from; s <= to; s++) {
            seeds.add(s);
          }
        }
      } catch (NumberFormatException e) {
        throw new CliErrors.UserError("--seeds: '" + text + "' is not a seed list like 42-51 or 1,2,3", 2);
      }
      if (seeds.size() > PlacementExperiment.MAX_SEEDS) {
        throw new CliErrors.UserError("--seeds: at most " + PlacementExperiment.MAX_SEEDS + " seeds", 2);
      }
      return seeds;
    }
  }

  /** {@code capstan sim queueing}: the Philly trace under FIFO, SJF, 2D-LAS and Capstan's default, through core's scheduler. */
  @Command(name = "queueing", mixinStandardHelpOptions = true,
      description = {"Replays a job trace (timestamp,duration,num_gpus) through core's scheduling cycle on GPUS GPUs",
          "under each policy; writes DIR/jobs.csv, DIR/summary.csv and DIR/jct-cdf.svg and prints a table."})
  static final class Queueing implements Callable<Integer> {
    @Option(names = "--trace", required = true, paramLabel = "TRACE.csv", description = "Jobs: timestamp,duration,num_gpus.")
    Path trace;

    @Option(names = "--policy", required = true, paramLabel = "POLICY[,POLICY…]", description = "fifo, sjf, las, capstan, or all.")
    String policy;

    @Option(names = "--gpus", defaultValue = "512", paramLabel = "N",
        description = "GPUs in the cluster, a multiple of --gpus-per-node (default: ${DEFAULT-VALUE}).")
    int gpus;

    @Option(names = "--gpus-per-node", defaultValue = "8", paramLabel = "N", description = "GPUs a node (default: ${DEFAULT-VALUE}).")
    int gpusPerNode;

    @Option(names = "--seeds", defaultValue = "42", paramLabel = "FROM-TO|S[,S…]",
        description = "Seeds: each orders the jobs arriving in the same second (default: ${DEFAULT-VALUE}).")
    String seeds;

    @Option(names = "--checkpoint-interval", defaultValue = "600", paramLabel = "S",
        description = "Seconds of work a preemption loses (default: ${DEFAULT-VALUE}).")
    long checkpointInterval;

    @Option(names = "--restart", defaultValue = "60", paramLabel = "S",
        description = "Seconds a preempted job takes to restart (default: ${DEFAULT-VALUE}).")
    long restart;

    @Option(names = "--jobs", paramLabel = "N", description = "Replay only the first N jobs in arrival order (default: all).")
    Integer limit;

    @Option(names = "--period", defaultValue = "60", paramLabel = "S",
        description = "Seconds between the scheduler's ticks (default: ${DEFAULT-VALUE}).")
    long period;

    @Option(names = "--threads", paramLabel = "N", description = "Runs at once (default: the number of cores).")
    Integer threads;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the CSVs and chart go.")
    Path out;

    @Override
    public Integer call() throws IOException, InterruptedException {
      List<QueueingPolicy> policies = Placement.chosen(policy, List.of(QueueingPolicy.values()), QueueingPolicy::named);
      List<Long> seedList = Placement.seeds(seeds);
      int threadCount = Placement.threads(threads);
      if (gpusPerNode < 1 || gpusPerNode > QueueingExperiment.MAX_GPUS_PER_NODE || gpus < 1 || gpus % gpusPerNode != 0) {
        throw new CliErrors.UserError("--gpus " + gpus + " must be a positive multiple of --gpus-per-node " + gpusPerNode
            + " (1.." + QueueingExperiment.MAX_GPUS_PER_NODE + ")", 2);
      }
      QueueingExperiment experiment;
      List<TraceJob> jobs;
      try {
        jobs = PhillyTraceCsv.read(trace);
        if (limit != null) {
          if (limit < 1) {
            throw new CliErrors.UserError("--jobs must be 1 or more, not " + limit, 2);
          }
          jobs = jobs.subList(0, Math.min(limit, jobs.size()));
        }
        experiment = new QueueingExperiment(jobs, gpus / gpusPerNode, gpusPerNode, new PreemptionCost(checkpointInterval, restart), period);
      } catch (TraceFormatException e) {
        throw new CliErrors.UserError("bad trace: " + e.getMessage(), 2);
      } catch (IllegalArgumentException e) {
        throw new CliErrors.UserError(e.getMessage(), 2);
      }
      Files.createDirectories(out);
      System.setProperty("java.awt.headless", "true");
      ProgressBar bar = new ProgressBar(System.err, (long) jobs.size() * policies.size() * seedList.size(), System.console() != null);
      long started = System.nanoTime();
      List<QueueingRun> runs = experiment.runAll(policies, seedList, threadCount, bar);
      double seconds = (System.nanoTime() - started) / 1e9;
      QueueingReport report = new QueueingReport(runs);
      report.writeJobsCsv(out.resolve("jobs.csv"));
      report.writeSummaryCsv(out.resolve("summary.csv"));
      JctChart.writeSvg(report.jcts(), "JCT CDF, " + trace.getFileName() + ", " + gpus + " GPUs", out.resolve("jct-cdf.svg"));
      System.out.print(report.table());
      System.out.printf(Locale.ROOT, "%d runs (%d jobs, %d GPUs in %d nodes) in %.1f s on %d threads; wrote %s, %s and %s%n",
          runs.size(), jobs.size(), gpus, gpus / gpusPerNode, seconds, Math.min(threadCount, runs.size()),
          out.resolve("jobs.csv"), out.resolve("summary.csv"), out.resolve("jct-cdf.svg"));
      return 0;
    }
  }
}
