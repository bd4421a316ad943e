package dev.capstan.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small hand-made traces in the Alibaba format, written to a folder. */
final class TestingTraces {
  static final String NODES = """
      sn,cpu_milli,memory_mib,gpu,model
      node-0,32000,131072,2,T4
      node-1,32000,131072,2,T4
      node-2,96000,393216,8,G2
      node-3,64000,262144,4,V100M16
      node-4,16000,65536,1,P100
      node-5,8000,32768,0,
      """;

  /** 17 GPUs of capacity; the tasks ask for 9.1 of them. */
  static final String PODS = """
      name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
      pod-00,4000,8192,1,1000,,LS,Running,0,10,0
      pod-01,2000,4096,1,500,,LS,Running,1,10,1
      pod-02,2000,4096,1,300,,BE,Running,2,10,2
      pod-03,8000,16384,2,1000,,LS,Running,3,10,3
      pod-04,1000,2048,0,0,,BE,Running,4,10,4
      pod-05,4000,8192,1,1000,V100M16|G2,LS,Running,5,10,5
      pod-06,2000,4096,1,250,,BE,Running,6,10,6
      pod-07,16000,32768,4,1000,,LS,Running,7,10,7
      pod-08,3000,8192,0,0,,BE,Running,8,10,8
      pod-09,2000,4096,1,500,,LS,Running,9,10,9
      pod-10,2000,4096,1,550,nan,LS,Running,10,10,10
      """;

  private TestingTraces() {}

  static Path write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }
}
