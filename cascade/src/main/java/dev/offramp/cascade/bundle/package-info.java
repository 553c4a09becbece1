/**
 * The cascade bundle format ("offramp-bundle/1"): value records for {@code manifest.json}, its JSON
 * codec, and {@link dev.offramp.cascade.bundle.Bundle}, a directory whose manifest and stage files
 * have been checked. All types are immutable; every validation error is a {@link
 * dev.offramp.cascade.bundle.BundleException} naming the file and the JSON path of the field.
 */
package dev.offramp.cascade.bundle;
