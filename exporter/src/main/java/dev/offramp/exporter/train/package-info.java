/**
 * Exit branches and how they are trained.
 *
 * <p>A head ({@link dev.offramp.exporter.train.HeadShape}) is: adaptive average pooling of the
 * cut's C×H×W map to a G×G grid, read as a 1D sequence of G² positions with C channels; {@code
 * layers} Conv1d(k=3, pad 1) + ReLU (C→h, then h→h); global average pooling over positions;
 * Linear(h→classes); softmax. The pooling runs once, in the feature cache ({@link
 * dev.offramp.exporter.features.AdaptivePool}), so training sees the pooled sequence.
 *
 * <p>{@link dev.offramp.exporter.train.HeadTrainer} trains one head with DJL on the PyTorch engine,
 * CPU only, offline (the native library comes from the classpath jar), Adam, one intra-op thread
 * and a seeded engine and shuffle, so a given seed gives the same weights. A sample's loss is the
 * cross-entropy against its target distribution (one-hot, or the backbone's softmax sharpened or
 * softened by a temperature: the KL divergence up to a constant), multiplied by its weight; weights
 * implement BTS-EE's survivor mask (0/1) and CalexNet's soft importance weights. {@link
 * dev.offramp.exporter.train.BranchTraining} runs the boosted and baseline schemes.
 */
package dev.offramp.exporter.train;
