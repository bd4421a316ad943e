package dev.capstan.train.collective;

import java.time.Duration;
import java.util.Map;

/**
 * Where and how to rendezvous: the PyTorch environment contract ({@code MASTER_ADDR},
 * {@code MASTER_PORT}, {@code WORLD_SIZE}, {@code RANK}) plus the two timeouts and how links travel.
 *
 * @param rendezvousTimeout how long ranks wait for each other to join
 * @param operationTimeout how long a collective may make no progress before every rank fails
 * @param transport how ring links travel
 */
public record RendezvousSpec(String masterAddr, int masterPort, int worldSize, int rank,
    Duration rendezvousTimeout, Duration operationTimeout, LinkTransport transport) {

  public RendezvousSpec(String masterAddr, int masterPort, int worldSize, int rank, Duration rendezvousTimeout,
      Duration operationTimeout) {
    this(masterAddr, masterPort, worldSize, rank, rendezvousTimeout, operationTimeout, LinkTransport.AUTO);
  }

  public RendezvousSpec {
    if (transport == null) {
      throw new IllegalArgumentException("transport must be set");
    }
    if (worldSize < 1) {
      throw new IllegalArgumentException("WORLD_SIZE must be at least 1, got " + worldSize);
    }
    if (rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException("RANK must be in [0, " + worldSize + "), got " + rank);
    }
    if (worldSize > 1 && (masterPort < 1 || masterPort > 65535)) {
      throw new IllegalArgumentException("MASTER_PORT must be a TCP port, got " + masterPort);
    }
  }

  /** Reads the contract from {@code env}; absent variables mean a single process. */
  public static RendezvousSpec fromEnvironment(Map<String, String> env, Duration rendezvousTimeout,
      Duration operationTimeout) {
    int worldSize = intVar(env, "WORLD_SIZE", 1);
    int rank = intVar(env, "RANK", 0);
    String addr = env.getOrDefault("MASTER_ADDR", "127.0.0.1");
    int port = intVar(env, "MASTER_PORT", worldSize > 1 ? -1 : 0);
    if (worldSize > 1 && port < 0) {
      throw new IllegalArgumentException("MASTER_PORT is not set but WORLD_SIZE is " + worldSize);
    }
    return new RendezvousSpec(addr, port, worldSize, rank, rendezvousTimeout, operationTimeout,
        LinkTransport.parse(env.get(LinkTransport.VARIABLE)));
  }

  private static int intVar(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
  }
}
