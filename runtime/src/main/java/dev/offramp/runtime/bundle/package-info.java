/**
 * Bundle updates without a restart: a new bundle arrives (an archive over {@code PUT /api/bundle},
 * a URL on {@code <prefix>/set/bundle}, a directory marked {@code .ready} in {@code
 * bundle.watch-dir}), is unpacked safely under the state directory, validated in the background
 * (signature, manifest, SHA-256s, sessions, a warm-up run, input compatibility) and swapped into
 * the pipeline between two frames; the previous bundle is kept for rollback. {@link
 * dev.offramp.runtime.bundle.BundleUpdates} owns the executors it opens.
 */
package dev.offramp.runtime.bundle;
