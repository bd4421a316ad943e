package dev.capstan.cli;

import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RouteTable;
import dev.capstan.gateway.Gateway;
import dev.capstan.gateway.GatewayConfig;
import dev.capstan.local.serving.GatewayHost;
import java.io.IOException;

/** The gateway local mode hosts inside {@code capstan server}: REST and gRPC on 127.0.0.1. */
record EmbeddedGateway(int restPort, int grpcPort) implements GatewayHost {
  @Override
  public Hosted start(GatewayFeedback feedback) throws IOException {
    Gateway gateway = Gateway.start(GatewayConfig.loopback().withPorts(restPort, grpcPort), feedback);
    return new Hosted() {
      @Override
      public void publish(RouteTable table) {
        gateway.update(table);
      }

      @Override
      public int restPort() {
        return gateway.restPort();
      }

      @Override
      public int grpcPort() {
        return gateway.grpcPort();
      }

      @Override
      public void close() {
        gateway.close();
      }
    };
  }
}
