/**
 * Labelled image datasets for building and evaluating cascades: {@code fashion-mnist:DIR} (IDX
 * files, gz or raw), {@code imagefolder:DIR} (DIR/{train,valid,test}/CLASS/*.png|jpg) and {@code
 * cifar10:DIR} (the binary batches).
 *
 * <p>Images are decoded once, resized to the input size and converted to the input's color order,
 * and kept as interleaved (HWC) bytes: exactly what {@code cascade.preprocess.Preprocessor} takes,
 * so build, evaluate and the runtime normalise pixels through the same code. A split the dataset
 * lacks is carved out of train by a seeded, stratified {@link dev.offramp.exporter.data.HoldOut},
 * recorded in {@link dev.offramp.exporter.data.Dataset#holdOuts()}. Everything here is immutable
 * after loading and safe to share between threads.
 */
package dev.offramp.exporter.data;
