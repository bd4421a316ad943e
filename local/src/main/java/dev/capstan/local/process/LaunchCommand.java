package dev.capstan.local.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A replica as an OS process: argv, working directory, extra environment and its log file. */
public record LaunchCommand(List<String> argv, Path workingDir, Map<String, String> env, Path logFile) {}
