package dev.capstan.cli;

import dev.capstan.api.codec.Kinds;
import dev.capstan.api.kubeflow.KubeflowKind;
import java.util.Arrays;
import java.util.stream.Stream;

/** Parses what users type for a resource: {@code trainingjob NAME} or {@code trainingjob/NAME}. */
final class KindArgs {
  private KindArgs() {}

  /** A resolved kind and name. */
  record Ref(Kinds.KindInfo kind, String name) {
    String display() {
      return kind.singular() + "/" + name;
    }
  }

  /** A Capstan kind, or a Kubeflow kind ({@code pytorchjobs}…), which names the TrainingJob it runs as. */
  static Kinds.KindInfo kind(String text) {
    return Kinds.lookup(text).or(() -> Kinds.lookupKubeflow(text).map(Kinds::storedAs))
        .orElseThrow(() -> new CliErrors.UserError("unknown resource type '" + text + "' (known: "
            + String.join(", ", Stream.concat(Kinds.all().stream().map(Kinds.KindInfo::plural),
                Arrays.stream(KubeflowKind.values()).map(KubeflowKind::plural)).toList()) + ")"));
  }

  /** {@code KIND/NAME}, or {@code KIND} plus a separate name. */
  static Ref ref(String first, String second) {
    int slash = first.indexOf('/');
    if (slash > 0) {
      return new Ref(kind(first.substring(0, slash)), first.substring(slash + 1));
    }
    if (second == null) {
      throw new CliErrors.UserError("give the resource as KIND/NAME or KIND NAME, e.g. trainingjob/pytorch-ddp");
    }
    return new Ref(kind(first), second);
  }
}
