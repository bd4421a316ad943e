package dev.capstan.bench.collective;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The driver: starts every measurement as separate JVM processes on loopback, side by side in one
 * run, and prints bus bandwidth as a ratio of the raw TCP stream measured just before.
 */
public final class CollectiveBench {
  private static final Pattern RESULT = Pattern.compile("(?m)^result (\\S+) ([0-9.eE+-]+)$");

  private CollectiveBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("allreduce-rank")) {
      AllReduceRank.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("stream-receiver")) {
      RawStream.receive(Integer.parseInt(args[1]));
      return;
    }
    if (args.length > 0 && args[0].equals("stream-sender")) {
      RawStream.send(Integer.parseInt(args[1]), Long.parseLong(args[2]));
      return;
    }
    if (args.length > 0 && args[0].equals("stream-duplex")) {
      RawStream.duplex(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
      return;
    }
    Map<String, String> options = options(args);
    int[] sizesMb = Arrays.stream(options.getOrDefault("sizes-mb", "1,4,16,64,256").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int iterations = Integer.parseInt(options.getOrDefault("iterations", "5"));
    System.out.printf("machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));

    double raw = rawStream(1L << 30);
    double duplex = duplexStream(512L << 20);
    System.out.printf(Locale.ROOT, "raw loopback TCP stream, 2 processes, 1 GiB one way: %.0f MB/s%n", raw);
    System.out.printf(Locale.ROOT, "raw loopback TCP duplex, 2 processes each sending and receiving 512 MiB: "
        + "%.0f MB/s per direction (x%.2f of one way)%n%n", duplex, duplex / raw);
    System.out.println("all-reduce (float32 sum, ring), bus bandwidth = bytes * 2(n-1)/n / time, median of "
        + iterations);
    System.out.printf("%-14s %-6s %-10s %12s %12s %10s %10s%n", "links", "ranks", "size", "time ms", "busbw MB/s",
        "x raw", "x duplex");
    int[] rankCounts = Arrays.stream(options.getOrDefault("ranks", "2,4").split(",")).mapToInt(Integer::parseInt).toArray();
    for (String transport : options.getOrDefault("transports", "auto,tcp").split(",")) {
      for (int ranks : rankCounts) {
        Map<String, Double> times = allReduce(ranks, sizesMb, iterations, transport);
        String links = times.get("shared-memory") == 1 ? "shared memory" : "TCP";
        for (int mb : sizesMb) {
          double seconds = times.get("seconds-" + mb);
          double bytes = mb * 1e6;
          double busBandwidth = bytes * 2 * (ranks - 1) / ranks / seconds / 1e6;
          System.out.printf(Locale.ROOT, "%-14s %-6d %-10s %12.2f %12.0f %10.2f %10.2f%n", links, ranks, mb + " MB",
              seconds * 1e3, busBandwidth, busBandwidth / raw, busBandwidth / duplex);
        }
      }
    }
    if (!options.containsKey("skip-training")) {
      System.out.println();
      System.out.println("training samples/s (mlp 256-1024-1024-10, synthetic 20000x256, global batch 512, "
          + "150 steps, threads = cores / workers)");
      for (int workers : new int[] {1, 2}) {
        System.out.printf(Locale.ROOT, "%d worker(s): %.0f samples/s%n", workers, training(workers));
      }
    }
  }

  private static double rawStream(long bytes) throws Exception {
    int port = freePort();
    Process receiver = child(List.of("stream-receiver", String.valueOf(port)), Map.of());
    Process sender = child(List.of("stream-sender", String.valueOf(port), String.valueOf(bytes)), Map.of());
    String out = finish(receiver, 300);
    finish(sender, 300);
    return results(out).get("mbps");
  }

  private static double duplexStream(long bytes) throws Exception {
    int portA = freePort();
    int portB = freePort();
    Process a = child(List.of("stream-duplex", String.valueOf(portA), String.valueOf(portB), String.valueOf(bytes)), Map.of());
    Process b = child(List.of("stream-duplex", String.valueOf(portB), String.valueOf(portA), String.valueOf(bytes)), Map.of());
    double first = results(finish(a, 300)).get("duplex-mbps");
    double second = results(finish(b, 300)).get("duplex-mbps");
    return Math.min(first, second);
  }

  private static Map<String, Double> allReduce(int ranks, int[] sizesMb, int iterations, String transport)
      throws Exception {
    int port = freePort();
    List<Process> processes = new ArrayList<>();
    String sizes = String.join(",", Arrays.stream(sizesMb).mapToObj(String::valueOf).toList());
    for (int rank = 0; rank < ranks; rank++) {
      processes.add(child(List.of("allreduce-rank", sizes, String.valueOf(iterations)), Map.of(
          "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", String.valueOf(port), "WORLD_SIZE", String.valueOf(ranks),
          "RANK", String.valueOf(rank), "CAPSTAN_COLLECTIVE_TRANSPORT", transport)));
    }
    String out = finish(processes.get(0), 600);
    for (Process process : processes.subList(1, ranks)) {
      finish(process, 60);
    }
    return results(out);
  }

  private static double training(int workers) throws Exception {
    int port = freePort();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    List<Process> processes = new ArrayList<>();
    for (int rank = 0; rank < workers; rank++) {
      List<String> command = new ArrayList<>(javaCommand());
      command.addAll(List.of("dev.capstan.train.TrainMain", "--data", "synthetic:20000:256:10", "--hidden",
          "1024,1024", "--batch-size", "512", "--steps", "150", "--log-every", "50", "--held-out", "0.05",
          "--threads", String.valueOf(threads)));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(Map.of("MASTER_ADDR", "127.0.0.1", "MASTER_PORT", String.valueOf(port),
          "WORLD_SIZE", String.valueOf(workers), "RANK", String.valueOf(rank), "OPT_OUT_TRACKING", "true"));
      processes.add(builder.start());
    }
    String out = finish(processes.get(0), 600);
    for (Process process : processes.subList(1, workers)) {
      finish(process, 60);
    }
    Matcher matcher = Pattern.compile("samples_per_second=([0-9.]+)").matcher(out);
    if (!matcher.find()) {
      throw new IllegalStateException("no throughput in trainer output:\n" + out);
    }
    return Double.parseDouble(matcher.group(1));
  }

  private static Process child(List<String> args, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>(javaCommand());
    command.add(CollectiveBench.class.getName());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder.start();
  }

  private static List<String> javaCommand() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
        "--enable-native-access=ALL-UNNAMED", "-XX:MaxDirectMemorySize=2g", "-cp",
        System.getProperty("java.class.path"));
  }

  private static String finish(Process process, long seconds) throws Exception {
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("benchmark process timed out");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException("benchmark process failed (" + process.exitValue() + "):\n" + text);
    }
    return text;
  }

  private static Map<String, Double> results(String out) {
    Map<String, Double> map = new LinkedHashMap<>();
    Matcher matcher = RESULT.matcher(out);
    while (matcher.find()) {
      map.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
    }
    return map;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String key = args[i].replaceFirst("^--", "");
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      map.put(key, flag ? "true" : args[++i]);
    }
    return map;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

}
