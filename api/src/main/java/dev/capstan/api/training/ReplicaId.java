package dev.capstan.api.training;

/** One replica of a job: its role and index. Its name is {@code <job>-<role>-<index>}. */
public record ReplicaId(String role, int index) implements Comparable<ReplicaId> {
  public String name(String job) {
    return job + "-" + role + "-" + index;
  }

  /** The short form used on the command line, e.g. {@code worker-1}. */
  public String shortName() {
    return role + "-" + index;
  }

  public static ReplicaId parseShort(String text) {
    int dash = text.lastIndexOf('-');
    if (dash <= 0) {
      throw new IllegalArgumentException("replica must look like ROLE-INDEX, e.g. worker-0: " + text);
    }
    try {
      return new ReplicaId(Framework.normalizeRole(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("replica must look like ROLE-INDEX, e.g. worker-0: " + text);
    }
  }

  @Override
  public int compareTo(ReplicaId o) {
    int byRole = role.compareTo(o.role);
    return byRole != 0 ? byRole : Integer.compare(index, o.index);
  }
}
