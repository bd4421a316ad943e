package dev.capstan.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The resource a command acts on, as {@code KIND/NAME} or {@code KIND NAME}, and its namespace. */
final class ResourceArgs {
  @Parameters(index = "0", paramLabel = "KIND[/NAME]", description = "e.g. trainingjob/pytorch-ddp")
  String first;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
  String second;

  @Mixin
  NamespaceOption ns;

  KindArgs.Ref ref() {
    return KindArgs.ref(first, second);
  }

  String namespace() {
    return ns.orDefault();
  }
}
