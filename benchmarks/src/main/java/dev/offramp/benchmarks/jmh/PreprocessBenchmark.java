package dev.offramp.benchmarks.jmh;

import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.bundle.InputSpec;
import dev.offramp.cascade.preprocess.Preprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Pixels to normalised NCHW tensor, into the executor's kind of direct buffer. */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PreprocessBenchmark extends ShortRun {
  @Param({"gray28", "rgb224"})
  public String input;

  private Preprocessor preprocessor;
  private byte[] pixels;
  private FloatBuffer dst;

  @Setup
  public void setUp() {
    InputSpec spec =
        input.equals("gray28")
            ? new InputSpec(
                "image",
                new long[] {1, 1, 28, 28},
                ColorMode.GRAY,
                1 / 255.0,
                new double[] {0.286},
                new double[] {0.353})
            : new InputSpec(
                "image",
                new long[] {1, 3, 224, 224},
                ColorMode.RGB,
                1 / 255.0,
                new double[] {0.485, 0.456, 0.406},
                new double[] {0.229, 0.224, 0.225});
    preprocessor = new Preprocessor(spec);
    pixels = new byte[preprocessor.pixelCount()];
    new Random(5).nextBytes(pixels);
    dst =
        ByteBuffer.allocateDirect(spec.elementCount() * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
  }

  @Benchmark
  public FloatBuffer fill() {
    preprocessor.fill(pixels, dst);
    return dst;
  }
}
