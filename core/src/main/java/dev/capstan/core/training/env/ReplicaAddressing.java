package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import java.util.Optional;

/**
 * Where each replica of a job can be reached. A cluster uses the replica's headless service name
 * and the framework's default port; one machine uses 127.0.0.1 and a port allocated per replica.
 */
public interface ReplicaAddressing {
  /** Host name peers use, e.g. {@code MASTER_ADDR}: {@code <job>-master-0} or {@code 127.0.0.1}. */
  String host(ReplicaId id);

  /** Fully qualified host for TF_CONFIG: {@code <job>-<role>-<i>.<ns>.svc} or {@code 127.0.0.1}. */
  String qualifiedHost(ReplicaId id);

  int port(ReplicaId id);

  /**
   * The replica's own IP when it is known before the replica starts ({@code 127.0.0.1} on one
   * machine); empty in a cluster, where the contract's {@link EnvContract#POD_IP} variable is
   * filled from the pod's {@code status.podIP}.
   */
  Optional<String> podIp();
}
