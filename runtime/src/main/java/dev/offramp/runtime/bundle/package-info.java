/**
 * Bundle updates without a restart: a new bundle arrives (an archive over {@code PUT /api/bundle},
 * a URL on {@code <prefix>/set/bundle}, a directory marked {@code .ready} in {@code
 * bundle.watch-dir}), is unpacked safely under the state directory, validated in the background
 * (signature, manifest, SHA-256s, sessions, a warm-up run, input compatibility) and swapped into
 * the pipeline between two frames; the previous bundle is kept for rollback.
 *
 * <p>{@link dev.offramp.runtime.bundle.BundleUpdates} runs the jobs and owns the executors it
 * opens; {@link dev.offramp.runtime.bundle.BundleFiles} is the staging directory (receive, fetch,
 * unpack, copy, all capped); {@link dev.offramp.runtime.bundle.ArchiveExtractor} unpacks safely;
 * {@link dev.offramp.runtime.bundle.BundleCompatibility} and {@link
 * dev.offramp.runtime.bundle.ManifestSignature} are the checks; {@link
 * dev.offramp.runtime.bundle.BundleEndpoint} is what the HTTP API calls (it lives here, with its
 * implementation). Depends on the cascade module, {@code pipeline}, {@code control} and {@code
 * text}; never on a transport ({@code http}, {@code mqtt}).
 */
package dev.offramp.runtime.bundle;
