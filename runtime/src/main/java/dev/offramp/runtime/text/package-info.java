/**
 * Text helpers shared by the transports: {@link dev.offramp.runtime.text.SafeText} makes untrusted
 * input safe to echo or log; {@link dev.offramp.runtime.text.SecretFiles} reads a secret kept in a
 * file. No dependencies on other runtime packages.
 */
package dev.offramp.runtime.text;
