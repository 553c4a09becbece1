/**
 * The cascade bundle format ("offramp-bundle/1"): value records for {@code manifest.json} ({@link
 * dev.offramp.cascade.bundle.Manifest} and its parts, which validate and copy their arrays), and
 * {@link dev.offramp.cascade.bundle.Bundle}, a directory whose manifest and stage files have been
 * checked. All types are immutable; every validation error is a {@link
 * dev.offramp.cascade.bundle.BundleException} naming the file and the JSON path of the field.
 *
 * <p>JSON goes through Jackson databind: {@link dev.offramp.cascade.bundle.ManifestJson} reads
 * (bounded, strict: no coercion, no unknown fields) and writes; the package-private {@code
 * ManifestDocument} records are the file's exact shape, and {@code ManifestErrors} turns Jackson's
 * errors into the manifest's messages ({@code stages[1].macs: expected an integer, found "lots"}).
 * The published schema of the same shape is {@code schemas/bundle-manifest.schema.json} at the
 * repository root.
 *
 * <p>Depends on {@code exit} (threshold tables), {@code text} and {@code value}; never on {@code
 * exec} or {@code preprocess} (CascadeArchitectureTest). The only package that uses Jackson.
 */
package dev.offramp.cascade.bundle;
