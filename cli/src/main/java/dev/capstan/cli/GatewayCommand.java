package dev.capstan.cli;

import dev.capstan.gateway.Gateway;
import dev.capstan.gateway.GatewayConfig;
import dev.capstan.gateway.GatewayLimits;
import dev.capstan.kubernetes.gateway.LoadBoard;
import dev.capstan.kubernetes.gateway.LoadEndpoint;
import dev.capstan.kubernetes.gateway.LoadReport;
import dev.capstan.kubernetes.gateway.RouteWatch;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capstan gateway}: the cluster's InferenceService gateway, as the chart runs it. It routes
 * by the InferenceServices and EndpointSlices it watches (in-cluster credentials, read-only) and
 * serves its load figures to the operator's leader on the load port.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = {"Run the cluster's InferenceService gateway until SIGTERM, which drains it: OIP REST and gRPC for every",
        "service, routed from the InferenceServices and EndpointSlices it watches; the operator reads its load on --load-port."})
final class GatewayCommand implements Callable<Integer> {
  @Option(names = "--port", description = "REST port (8080).")
  int port = 8080;

  @Option(names = "--grpc-port", description = "gRPC port (8081; -1 turns gRPC off).")
  int grpcPort = 8081;

  @Option(names = "--load-port", description = "Port of " + LoadReport.PATH + " and " + LoadEndpoint.READY_PATH + " (9090).")
  int loadPort = 9090;

  @Option(names = "--host", description = "Address to listen on (0.0.0.0).")
  String host = "0.0.0.0";

  @Option(names = "--namespaces", paramLabel = "NS,NS",
      description = "Namespaces whose InferenceServices it routes (default: $CAPSTAN_WATCH_NAMESPACES, else every namespace).")
  String namespaces;

  @Override
  public Integer call() throws Exception {
    GatewayConfig config;
    try {
      config = new GatewayConfig(host, port, grpcPort, GatewayLimits.defaults());
    } catch (IllegalArgumentException e) {
      throw new CliErrors.UserError(e.getMessage(), 2);
    }
    if (loadPort < 1 || loadPort > 65535) {
      throw new CliErrors.UserError("--load-port: 1..65535, not " + loadPort, 2);
    }
    LoadBoard board = new LoadBoard();
    KubernetesClient client = new KubernetesClientBuilder().build();
    Gateway gateway = Gateway.start(config, board);
    RouteWatch watch = RouteWatch.start(client, watched(), gateway::update);
    LoadEndpoint endpoint = LoadEndpoint.start(new InetSocketAddress(host, loadPort), board, watch::synced);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      endpoint.close();
      watch.close();
      gateway.close();
      client.close();
      stopped.countDown();
    }, "capstan-gateway-stop"));
    System.out.println("capstan gateway: REST on " + host + ":" + gateway.restPort() + ", gRPC on " + gateway.grpcPort()
        + ", load on " + endpoint.port());
    stopped.await();
    return 0;
  }

  private Set<String> watched() {
    String value = namespaces != null ? namespaces : System.getenv().getOrDefault("CAPSTAN_WATCH_NAMESPACES", "");
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
  }
}
