package dev.capstan.api.validation;

import java.util.Arrays;
import java.util.List;

/** Enumerations whose wire spelling differs from the Java constant name. */
public interface WireEnum {
  String wire();

  static String wireName(Enum<?> constant) {
    return constant instanceof WireEnum w ? w.wire() : constant.name();
  }

  static List<String> wireNames(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(WireEnum::wireName).toList();
  }
}
