package dev.offramp.runtime.pipeline;

import dev.offramp.cascade.bundle.Manifest;
import dev.offramp.cascade.exec.CascadeExecutor;
import dev.offramp.cascade.exec.ExitPolicy;
import dev.offramp.cascade.preprocess.Preprocessor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the pipeline runs now (bundle, executor, preprocessing, exit profile) and the bundle swap
 * asked for next. Profile changes and swap requests come from any thread; a swap is made only by
 * the pipeline thread, between two frames ({@link #applyPending}). Thread-safe.
 */
final class ActiveBundle {

  /**
   * What one frame runs with, read once per frame so a frame never mixes two bundles: the executor,
   * its manifest and preprocessing, and the exit profile in force.
   */
  record Current(
      BundleId bundle,
      Manifest manifest,
      CascadeExecutor executor,
      Preprocessor preprocessor,
      String profile,
      ExitPolicy policy) {

    /** {@code executor}'s bundle under exit profile {@code profile}. */
    static Current of(CascadeExecutor executor, Manifest manifest, String profile) {
      return new Current(
          BundleId.of(executor.bundle()),
          manifest,
          executor,
          new Preprocessor(manifest.input()),
          profile,
          ExitPolicy.profile(manifest.profile(profile)));
    }

    Current withProfile(String name) {
      return new Current(
          bundle,
          manifest,
          executor,
          preprocessor,
          name,
          ExitPolicy.profile(manifest.profile(name)));
    }
  }

  /** A swap asked for and not yet made. */
  private record PendingSwap(Current next, CompletableFuture<CascadeExecutor> done) {}

  private volatile Current current;
  private final AtomicReference<PendingSwap> pending = new AtomicReference<>();

  ActiveBundle(Current first) {
    this.current = first;
  }

  Current current() {
    return current;
  }

  List<String> profiles() {
    return List.copyOf(current.manifest().profiles().keySet());
  }

  /**
   * @throws IllegalArgumentException naming the allowed profiles when {@code name} is unknown
   */
  synchronized void setProfile(String name) {
    Current c = current;
    if (!c.manifest().profiles().containsKey(name)) {
      throw new IllegalArgumentException(
          "unknown profile '" + name + "'; allowed: " + String.join(", ", profiles()));
    }
    current = c.withProfile(name);
  }

  /**
   * Asks for {@code executor} from the next frame on; the profile in force stays when the new
   * bundle has it, else its default applies. A request not yet made is replaced (and fails).
   *
   * @param ended whether the pipeline has ended (then the request fails at once)
   */
  CompletableFuture<CascadeExecutor> request(CascadeExecutor executor, BooleanSupplier ended) {
    Manifest manifest = executor.bundle().manifest();
    String keep = current.profile();
    String profile = manifest.profiles().containsKey(keep) ? keep : manifest.defaultProfile();
    PendingSwap request =
        new PendingSwap(Current.of(executor, manifest, profile), new CompletableFuture<>());
    PendingSwap replaced = pending.getAndSet(request);
    if (replaced != null) {
      replaced.done().completeExceptionally(new IllegalStateException("replaced by a later swap"));
    }
    if (ended.getAsBoolean() && pending.compareAndSet(request, null)) {
      request.done().completeExceptionally(new IllegalStateException("the pipeline has ended"));
    }
    return request.done();
  }

  /**
   * Makes a pending swap, if any; on the pipeline thread, between frames. {@code before} runs with
   * what is replaced, {@code after} with what now runs; the request completes with the replaced
   * executor last.
   */
  void applyPending(Consumer<Current> before, Consumer<Current> after) {
    PendingSwap request = pending.getAndSet(null);
    if (request == null) {
      return;
    }
    before.accept(current);
    CascadeExecutor old;
    synchronized (this) {
      old = current.executor();
      current = request.next();
    }
    after.accept(request.next());
    request.done().complete(old);
  }

  /** Fails a request not yet made: the pipeline has ended. */
  void failPending() {
    PendingSwap request = pending.getAndSet(null);
    if (request != null) {
      request.done().completeExceptionally(new IllegalStateException("the pipeline has ended"));
    }
  }
}
