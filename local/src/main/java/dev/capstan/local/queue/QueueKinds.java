package dev.capstan.local.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.queue.Priorities;
import dev.capstan.api.queue.Queue;
import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.WorkloadPriorityClass;
import dev.capstan.api.validation.InvalidSpecException;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** What the local API checks before it stores a Queue or a WorkloadPriorityClass. */
public final class QueueKinds {
  private QueueKinds() {}

  public static boolean handles(Kinds.KindInfo kind) {
    return kind == Kinds.QUEUE || kind == Kinds.WORKLOAD_PRIORITY_CLASS;
  }

  /** Validates the manifest as the kind its path names; throws InvalidSpecException with field paths. */
  public static void check(Kinds.KindInfo kind, ObjectNode doc) {
    HasMetadata resource = Manifests.toResource(doc);
    if (!kind.type().isInstance(resource)) {
      throw new InvalidSpecException("kind", "must be " + kind.kind() + " at this path (is '" + resource.getKind() + "')");
    }
    switch (resource) {
      case Queue q -> QueueModel.from(q);
      case WorkloadPriorityClass pc -> Priorities.value(pc);
      default -> throw new IllegalArgumentException("not a queue kind: " + kind.kind());
    }
  }
}
