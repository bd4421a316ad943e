package dev.capstan.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version baked into the jar manifest, or "dev" when run from classes. */
public final class CapstanVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = CapstanVersion.class.getPackage().getImplementationVersion();
    return new String[] {"capstan " + (v == null ? "dev" : v)};
  }
}
