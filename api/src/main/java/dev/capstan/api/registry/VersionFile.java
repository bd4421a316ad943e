package dev.capstan.api.registry;

/** One stored file of a version: its path inside the version, size in bytes and SHA-256 (hex). */
public record VersionFile(String path, long size, String sha256) {}
