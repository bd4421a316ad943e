package dev.capstan.kubernetes;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checks of Pod Security Standards "restricted" (baseline included), as the pod-security
 * admission controller applies them to a pod spec.
 */
public final class RestrictedPodSecurity {
  private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

  private RestrictedPodSecurity() {}

  public static List<String> violations(PodSpec spec) {
    List<String> out = new ArrayList<>();
    var pod = spec.getSecurityContext();
    if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID()) || Boolean.TRUE.equals(spec.getHostIPC())) {
      out.add("host namespaces");
    }
    for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
      boolean allowed = v.getConfigMap() != null || v.getCsi() != null || v.getDownwardAPI() != null || v.getEmptyDir() != null
          || v.getEphemeral() != null || v.getPersistentVolumeClaim() != null || v.getProjected() != null || v.getSecret() != null;
      if (!allowed) {
        out.add("volume " + v.getName() + " has a restricted type");
      }
    }
    if (pod != null && pod.getSysctls() != null) {
      pod.getSysctls().stream().filter(s -> !SAFE_SYSCTLS.contains(s.getName())).forEach(s -> out.add("unsafe sysctl " + s.getName()));
    }
    boolean podNonRoot = pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
    boolean podSeccomp = pod != null && pod.getSeccompProfile() != null && Set.of("RuntimeDefault", "Localhost").contains(pod.getSeccompProfile().getType());
    if (pod != null && pod.getRunAsUser() != null && pod.getRunAsUser() == 0) {
      out.add("pod runAsUser 0");
    }
    if (pod != null && pod.getSeccompProfile() != null && "Unconfined".equals(pod.getSeccompProfile().getType())) {
      out.add("pod seccompProfile Unconfined");
    }
    for (Container c : containers(spec)) {
      SecurityContext sc = c.getSecurityContext();
      String who = "container " + c.getName();
      if (sc == null) {
        out.add(who + " has no securityContext");
        continue;
      }
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        out.add(who + " is privileged");
      }
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        out.add(who + " must set allowPrivilegeEscalation=false");
      }
      Capabilities caps = sc.getCapabilities();
      if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
        out.add(who + " must drop ALL capabilities");
      }
      if (caps != null && caps.getAdd() != null && caps.getAdd().stream().anyMatch(a -> !"NET_BIND_SERVICE".equals(a))) {
        out.add(who + " adds capabilities other than NET_BIND_SERVICE");
      }
      boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot;
      if (!nonRoot) {
        out.add(who + " must run as non-root");
      }
      if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        out.add(who + " runAsUser 0");
      }
      boolean seccomp = sc.getSeccompProfile() != null
          ? Set.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType()) : podSeccomp;
      if (!seccomp) {
        out.add(who + " needs seccompProfile RuntimeDefault or Localhost");
      }
      if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
        out.add(who + " procMount " + sc.getProcMount());
      }
      if (c.getPorts() != null && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
        out.add(who + " uses a hostPort");
      }
    }
    return out;
  }

  private static List<Container> containers(PodSpec spec) {
    return Stream.concat(spec.getContainers().stream(),
        spec.getInitContainers() == null ? Stream.<Container>empty() : spec.getInitContainers().stream()).toList();
  }
}
