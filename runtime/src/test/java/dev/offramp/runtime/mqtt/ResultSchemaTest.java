package dev.offramp.runtime.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.offramp.cascade.bundle.Bundle;
import dev.offramp.cascade.bundle.ColorMode;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExecutionOptions;
import dev.offramp.cascade.testing.TestBundles;
import dev.offramp.runtime.capture.FrameFormat;
import dev.offramp.runtime.capture.LatestFrameSlot;
import dev.offramp.runtime.control.ControlHub;
import dev.offramp.runtime.energy.ModelMeter;
import dev.offramp.runtime.pipeline.Pipeline;
import dev.offramp.runtime.pipeline.PipelineParts;
import dev.offramp.runtime.pipeline.SinkFanout;
import dev.offramp.runtime.testing.Broker;
import dev.offramp.runtime.testing.FashionMnist;
import dev.offramp.runtime.testing.RepoFiles;
import dev.offramp.runtime.testing.Subscriber;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schemas/result.schema.json} describes what the daemon really publishes: payloads made by
 * the real pipeline over the test bundle from Fashion-MNIST images, received from a real Mosquitto,
 * validate against it (also as replayed), and a payload that breaks the contract fails.
 */
class ResultSchemaTest {
  private static final int FRAMES = 12;
  private static Schema schema;

  @TempDir Path tmp;

  @BeforeAll
  static void loadSchema() throws Exception {
    String text = Files.readString(RepoFiles.resolve("schemas/result.schema.json"));
    schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(text, InputFormat.JSON);
  }

  private static List<Error> errors(String json) {
    return schema.validate(json, InputFormat.JSON);
  }

  @Test
  void resultsPublishedByThePipelineThroughMosquittoMatchTheSchema() throws Exception {
    List<String> payloads = publishedPayloads();
    assertEquals(FRAMES, payloads.size());
    for (String json : payloads) {
      assertEquals(List.of(), errors(json), json);
      byte[] replayed = ResultJson.asReplayed(json.getBytes(StandardCharsets.UTF_8));
      assertEquals(List.of(), errors(new String(replayed, StandardCharsets.UTF_8)));
    }
  }

  @Test
  void aPayloadThatBreaksTheContractFails() throws Exception {
    String json = ResultJson.toJson(Fixtures.result("cam0", 1));
    assertEquals(List.of(), errors(json), json);
    Map<String, String> broken =
        Map.of(
            "label missing", json.replace("\"label\":\"Sneaker\",", ""),
            "unknown field", json.replace("\"replayed\":false}", "\"replayed\":false,\"x\":1}"),
            "stage time a string", json.replace("[1.25,0.75]", "[1.25,\"slow\"]"),
            "short sha256", json.replace("0123456789ab", "0123"),
            "confidence over 1", json.replace("\"confidence\":0.93", "\"confidence\":1.5"),
            "another schema", json.replace("offramp-result/1", "offramp-result/2"));
    broken.forEach((what, payload) -> assertFalse(errors(payload).isEmpty(), what));
  }

  /** The result payloads of {@link #FRAMES} Fashion-MNIST images, as Mosquitto delivered them. */
  private List<String> publishedPayloads() throws Exception {
    Bundle bundle = Bundle.open(TestBundles.write(Files.createDirectories(tmp.resolve("bundle"))));
    List<byte[]> images = FashionMnist.testImages(0, FRAMES);
    try (Broker broker = new Broker(tmp.resolve("broker")).start();
        Subscriber sub = new Subscriber(broker.url(), "schema-sub");
        CascadeExecutor executor = CascadeExecutor.open(bundle, ExecutionOptions.defaults())) {
      LatestFrameSlot slot = new LatestFrameSlot(new FrameFormat(28, 28, ColorMode.GRAY));
      SinkFanout sinks = new SinkFanout();
      Pipeline pipeline =
          new Pipeline(
              new PipelineParts(
                  "dev-schema",
                  "cam0",
                  bundle.manifest(),
                  executor,
                  slot,
                  new ModelMeter(2.0, 1e-9),
                  List.of(sinks),
                  bundle.manifest().defaultProfile(),
                  0,
                  FRAMES));
      MqttSettings settings =
          MqttPublisherTest.settings(broker.url(), "dev-schema", tmp.resolve("state"));
      try (MqttPublisher pub = MqttPublisher.start(settings, new ControlHub(pipeline), Map::of)) {
        sinks.add(pub);
        pipeline.start();
        for (int i = 0; i < images.size(); i++) {
          slot.publish(images.get(i), 0, 0, i, true);
        }
        pipeline.finished().get(60, TimeUnit.SECONDS);
        List<Subscriber.Message> got =
            sub.await(m -> m.topic().equals("offramp/dev-schema/cam0/result"), FRAMES, 30);
        assertTrue(got.stream().noneMatch(Subscriber.Message::retained));
        return got.stream().map(Subscriber.Message::payload).toList();
      }
    }
  }
}
