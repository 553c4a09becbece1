package dev.offramp.cascade.exec;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process-wide ONNX Runtime environment. Every offramp class that needs an {@link
 * OrtEnvironment} gets it here, never from {@link OrtEnvironment#getEnvironment()} directly (a test
 * in the benchmarks module checks that): the first call creates it safely on any thread, later
 * calls return the same instance. The environment lives for the process and is never closed.
 * Thread-safe.
 *
 * <p><b>Why the environment is created on its own thread.</b> Creating the environment ({@code
 * OrtApi::CreateEnv}) starts ONNX Runtime's telemetry on Linux (since 1.2x, {@code
 * core/platform/posix/telemetry.cc}, the 1DS SDK). Its start-up matches a {@code std::regex}
 * against the process command line read from {@code /proc/self/cmdline}, and libstdc++'s regex
 * executor recurses once per character matched ({@code _Executor::_M_dfs} → {@code
 * _M_handle_repeat} → {@code _M_rep_once_more} → {@code _M_dfs}, three frames per character). A JVM
 * command line is long (the {@code -cp} of the benchmarks module is ~11,500 characters), so the
 * recursion needs several MB of native stack; a Java thread has 1 MB by default ({@code -Xss}), the
 * guard page is hit, and the JVM dies with SIGSEGV (exit 139) without an {@code hs_err} file
 * because the overflow is in native code outside HotSpot's stack banging. Measured with ONNX
 * Runtime 1.29.0 and a trivial program: a 2,000-character command line passes on a 1 MB stack,
 * 4,000 crash; the graph (its depth or size) plays no part — sessions of a 200-block residual chain
 * load and run on a 64 KB stack. So the environment is created once, on a dedicated thread whose
 * stack is sized from the actual command line: {@value #BASE_STACK_MIB} MiB plus {@value
 * #STACK_BYTES_PER_CHAR} bytes per character (about twice the ~260 bytes a character was measured
 * to take; a 1.7-million-character command line, near Linux's 2 MB limit for all arguments,
 * passes). The memory is only reserved: the pages actually touched are committed, and freed when
 * the thread ends. This happens whichever thread asks first: a command's main thread, the daemon's
 * pipeline, a JMH fork, a surefire fork. The launchers also set {@code ORT_DISABLE_TELEMETRY=1},
 * which skips that code (and keeps an edge board from trying to upload telemetry), but this class
 * does not rely on it.
 */
public final class OrtRuntime {
  /** Stack of the thread that creates the environment, before the command line's share. */
  static final int BASE_STACK_MIB = 64;

  /** Stack per character of {@code /proc/self/cmdline} (twice the measured need). */
  static final int STACK_BYTES_PER_CHAR = 512;

  private static final Object LOCK = new Object();
  private static volatile OrtEnvironment env;

  private OrtRuntime() {}

  /**
   * The process-wide environment, created on first use on a large-stack thread (see the class
   * comment).
   *
   * @throws ExecutionException when ONNX Runtime cannot be loaded or initialised
   */
  public static OrtEnvironment environment() {
    OrtEnvironment e = env;
    if (e != null) {
      return e;
    }
    synchronized (LOCK) {
      if (env == null) {
        env = createOnLargeStack();
      }
      return env;
    }
  }

  /** The init thread's stack: the base plus the command line's share (Linux; base elsewhere). */
  static long initStackBytes() {
    long chars;
    try {
      chars = Files.readAllBytes(Path.of("/proc/self/cmdline")).length;
    } catch (IOException | RuntimeException e) {
      chars = 0; // not Linux: ONNX Runtime's POSIX telemetry does not read it there either
    }
    return ((long) BASE_STACK_MIB << 20) + chars * STACK_BYTES_PER_CHAR;
  }

  private static OrtEnvironment createOnLargeStack() {
    AtomicReference<OrtEnvironment> created = new AtomicReference<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread init =
        new Thread(
            null,
            () -> {
              try {
                OrtEnvironment e = OrtEnvironment.getEnvironment();
                try {
                  e.setTelemetry(false);
                } catch (OrtException ignored) {
                  // Telemetry is a courtesy switch; a build without it refuses, which is fine.
                }
                created.set(e);
              } catch (Throwable t) { // handed to the caller below, as the cause
                failed.set(t);
              }
            },
            "onnxruntime-init",
            initStackBytes());
    init.setDaemon(true);
    init.start();
    boolean interrupted = false;
    while (true) {
      try {
        init.join();
        break;
      } catch (InterruptedException ie) {
        interrupted = true; // creation cannot be abandoned half-way; wait, then restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (created.get() == null) {
      Throwable t = failed.get();
      throw new ExecutionException(
          "ONNX Runtime could not be initialised ("
              + (t == null ? "no error reported" : t)
              + "). Expected the onnxruntime jar's native library for this platform; check that"
              + " the JVM can load it (see deploy/README.md for other platforms).",
          t);
    }
    return created.get();
  }
}
