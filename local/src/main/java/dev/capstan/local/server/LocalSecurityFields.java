package dev.capstan.local.server;

import dev.capstan.api.validation.Errors;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import java.util.List;

/**
 * The security context fields of a template that a replica process cannot honour, refused with
 * their field path. A replica runs as the server's user with that user's groups and rights, so
 * local mode refuses what would grant more (privileged, added capabilities, an unmasked /proc,
 * host process, sysctls), an identity other than the server's (runAsUser, runAsGroup, fsGroup,
 * supplementalGroups), an SELinux label it cannot apply, and runAsNonRoot when the server runs as
 * root. Restrictions it cannot apply (seccomp and AppArmor profiles, readOnlyRootFilesystem,
 * capabilities.drop, allowPrivilegeEscalation: false) are knowingly ignored: the replica gets no
 * more than the server's user already has, which is what local mode always gives.
 */
final class LocalSecurityFields {
  private LocalSecurityFields() {}

  /** {@code path} is the template's spec; {@code main} indexes the container that is run. */
  static void check(String path, PodSecurityContext pod, SecurityContext container, int main, ServerUser user, Errors errors) {
    String podPath = path + ".securityContext";
    String containerPath = path + ".containers[" + main + "].securityContext";
    String rights = "a replica is a process with the rights of the server's user (uid " + user.uid() + ")";
    if (pod != null) {
      podOnly(podPath, pod, user, rights, errors);
      seLinux(errors, podPath, pod.getSeLinuxOptions() != null);
      hostProcess(errors, podPath, pod.getWindowsOptions());
    }
    if (container != null) {
      if (Boolean.TRUE.equals(container.getPrivileged())) {
        errors.add(containerPath + ".privileged", "local mode cannot run a privileged replica: " + rights);
      }
      if (container.getCapabilities() != null && container.getCapabilities().getAdd() != null
          && !container.getCapabilities().getAdd().isEmpty()) {
        errors.add(containerPath + ".capabilities.add", "local mode cannot grant capabilities: " + rights);
      }
      if (container.getProcMount() != null && !"Default".equals(container.getProcMount())) {
        errors.add(containerPath + ".procMount", "local mode cannot unmask /proc: " + rights);
      }
      seLinux(errors, containerPath, container.getSeLinuxOptions() != null);
      hostProcess(errors, containerPath, container.getWindowsOptions());
    }
    identity(podPath, pod, containerPath, container, user, errors);
  }

  private static void podOnly(String podPath, PodSecurityContext pod, ServerUser user, String rights, Errors errors) {
    int sysctls = pod.getSysctls() == null ? 0 : pod.getSysctls().size();
    for (int i = 0; i < sysctls; i++) {
      errors.add(podPath + ".sysctls[" + i + "]",
          "local mode cannot set kernel parameters for a replica: it shares this machine's kernel settings");
    }
    if (pod.getFsGroup() != null && !user.hasGroup(pod.getFsGroup())) {
      errors.add(podPath + ".fsGroup", notServersGroup(user, pod.getFsGroup()));
    }
    List<Long> supplemental = pod.getSupplementalGroups() == null ? List.of() : pod.getSupplementalGroups();
    for (int i = 0; i < supplemental.size(); i++) {
      if (supplemental.get(i) != null && !user.hasGroup(supplemental.get(i))) {
        errors.add(podPath + ".supplementalGroups[" + i + "]", notServersGroup(user, supplemental.get(i)));
      }
    }
  }

  /** runAsUser, runAsGroup and runAsNonRoot as they apply to the main container (its own win). */
  private static void identity(String podPath, PodSecurityContext pod, String containerPath, SecurityContext container,
      ServerUser user, Errors errors) {
    boolean own = container != null && container.getRunAsUser() != null;
    Long runAsUser = own ? container.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
    if (runAsUser != null && runAsUser != user.uid()) {
      errors.add((own ? containerPath : podPath) + ".runAsUser", "local mode runs every replica as the server's user (uid "
          + user.uid() + ", asked " + runAsUser + "); start the server as that user, or leave the field out");
    }
    own = container != null && container.getRunAsGroup() != null;
    Long runAsGroup = own ? container.getRunAsGroup() : pod == null ? null : pod.getRunAsGroup();
    if (runAsGroup != null && runAsGroup != user.gid()) {
      errors.add((own ? containerPath : podPath) + ".runAsGroup", "local mode runs every replica with the server's group (gid "
          + user.gid() + ", asked " + runAsGroup + "); leave the field out");
    }
    own = container != null && container.getRunAsNonRoot() != null;
    Boolean nonRoot = own ? container.getRunAsNonRoot() : pod == null ? null : pod.getRunAsNonRoot();
    if (Boolean.TRUE.equals(nonRoot) && user.isRoot()) {
      errors.add((own ? containerPath : podPath) + ".runAsNonRoot",
          "the local server runs as root, so the replica would too; start the server as an unprivileged user");
    }
  }

  private static void seLinux(Errors errors, String path, boolean asked) {
    if (asked) {
      errors.add(path + ".seLinuxOptions", "local mode cannot give a replica an SELinux label");
    }
  }

  private static void hostProcess(Errors errors, String path, WindowsSecurityContextOptions windows) {
    if (windows != null && Boolean.TRUE.equals(windows.getHostProcess())) {
      errors.add(path + ".windowsOptions.hostProcess", "not supported in local mode (Windows host process containers)");
    }
  }

  private static String notServersGroup(ServerUser user, long group) {
    return "local mode runs every replica with the server's groups " + user.groups().stream().sorted().toList()
        + " (asked " + group + ")";
  }
}
