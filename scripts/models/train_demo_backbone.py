#!/usr/bin/python3
"""Train the offramp demo backbone: a width-W ResNet-18 on Fashion-MNIST, exported to ONNX.

    /usr/bin/python3 scripts/models/train_demo_backbone.py --out demo/fashion-resnet18 \
        [--epochs 8] [--width 16] [--seed 0] [--data /usr/share/datasets/fashion-mnist] \
        [--data-variant plain|hard] [--variant-seed 1] [--exclude-calibration 0.1] \
        [--calibration-seed 0] \
        [--train-limit N] [--outcomes FILE]

Trains ``fashion_resnet.FashionResNet18`` on the 60k Fashion-MNIST train split (IDX files read
directly), SGD + Nesterov momentum with a OneCycle schedule, batch 128, light augmentation
(random horizontal flip, random 28x28 crop from the image padded by 2 px). Inputs are
pixel/255 normalized with mean 0.2860 and std 0.3530.

Writes into --out:
  backbone.onnx  opset 17, input ``image`` [N,1,28,28] (dynamic batch), output ``logits`` [N,10],
                 eval mode with constant folding (BatchNorm folded into the convolutions)
  backbone.json  test accuracy, training settings, torch version, train time, MACs,
                 normalization and class names
  calibration/   with --exclude-calibration F: the held-out calibration images (a seeded,
                 stratified fraction F of the training split, never trained on) as
                 train-images/labels IDX files, for ``offramp build --calibration-data
                 fashion-mnist:OUT/calibration``
  data/          with --exclude-calibration: the images the backbone trained on (train) and the
                 test split (t10k), for ``offramp build --data fashion-mnist:OUT/data``, so the
                 exit heads train on exactly the backbone's training images
  --outcomes FILE  the plain backbone's per-image test outcomes (offramp-outcomes/1, one stage,
                 one profile ``plain``) for ``offramp bench method``
--data-variant hard trains and tests on the hard variant (``hard_fashion.py``, same seed gives the
same images). backbone.json records the split digests (sha256 over pixels, then labels as int32
big-endian: the digests ``offramp build`` writes into report.json), so a report shows whether its
calibration split is one the backbone trained on.
Seeded; on CPU with deterministic algorithms the run is reproducible for a given torch build
and thread count.
"""
import argparse
import json
import os
import sys
import tempfile
import time

# Idle OpenMP threads sleep instead of spinning: with other processes on the same cores a
# spinning 2-thread pool slows down many times over. Must be set before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fashion_resnet as fr  # noqa: E402
import hard_fashion as hf  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output directory (e.g. demo/fashion-resnet18)")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--width", type=int, default=16, help="stage widths W,2W,4W,8W")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=fr.DEFAULT_DATA_DIR, help="directory with the Fashion-MNIST IDX .gz files")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.1, help="OneCycle peak learning rate")
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpoint", default=os.path.join(tempfile.gettempdir(), "offramp-demo-backbone.ckpt"),
                   help="per-epoch checkpoint file (deleted after a successful run); '' disables it")
    p.add_argument("--resume", action="store_true", help="continue from --checkpoint")
    p.add_argument("--max-batches", type=int, default=0,
                   help="stop each epoch after this many batches (timing/smoke runs only)")
    p.add_argument("--data-variant", choices=["plain", "hard"], default="plain",
                   help="hard: train and test on hard_fashion.py's variant (generated in memory)")
    p.add_argument("--variant-seed", type=int, default=1, help="seed of the hard variant")
    p.add_argument("--exclude-calibration", type=float, default=0.0, metavar="FRACTION",
                   help="hold this stratified fraction of the training split out of training and "
                        "write it to OUT/calibration/ (0 = train on everything)")
    p.add_argument("--calibration-seed", type=int, default=0,
                   help="seed of the calibration hold-out (kept apart from --seed so backbones of "
                        "different seeds and widths hold out the same images)")
    p.add_argument("--train-limit", type=int, default=0,
                   help="train on at most N images (seeded, after the calibration hold-out; smoke runs)")
    p.add_argument("--outcomes", default="", help="write the per-image test outcomes here")
    p.add_argument("--device", default="cpu",
                   help="torch device to train on (cpu, cuda, cuda:1); evaluation and export always run on cpu")
    p.add_argument("--train-only", default="", metavar="FILE",
                   help="train, save the weights and the run's settings to FILE, and stop (no export): "
                        "for training on another machine, e.g. a GPU host")
    p.add_argument("--weights", default="", metavar="FILE",
                   help="skip training: take the weights a --train-only run saved (its settings must "
                        "match these flags), then evaluate and export here")
    p.add_argument("--splits-only", action="store_true",
                   help="with --exclude-calibration: write OUT/calibration/ and OUT/data/ (and print "
                        "the split digests) and stop, training nothing: what offramp build needs "
                        "to build heads for a backbone trained with the same flags")
    args = p.parse_args(argv)
    if args.splits_only and not args.exclude_calibration:
        p.error("--splits-only writes the calibration hold-out: pass --exclude-calibration too")
    if args.train_only and args.weights:
        p.error("--train-only and --weights exclude each other (train on one machine, export on another)")
    if args.resume and args.weights:
        p.error("--resume continues a training run; --weights skips training")
    return args


def augment(xb_u8, gen, pad=2):
    """Random horizontal flip + random crop (zero padding) on a uint8 batch [B,28,28]."""
    b, h, w = xb_u8.shape
    padded = F.pad(xb_u8, (pad, pad, pad, pad))
    oy = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
    ox = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
    rows = (oy[:, None] + torch.arange(h))[:, :, None]
    cols = (ox[:, None] + torch.arange(w))[:, None, :]
    out = padded[torch.arange(b)[:, None, None], rows, cols]
    flip = torch.rand(b, generator=gen) < 0.5
    return torch.where(flip[:, None, None], out.flip(2), out)


def stratified_holdout(labels, fraction, seed):
    """(kept indices, held-out indices), both sorted: round(fraction * count) of every class,
    chosen by a seeded permutation."""
    rng = np.random.default_rng(seed)
    held = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        take = int(round(len(members) * fraction))
        held.extend(rng.permutation(members)[:take].tolist())
    held = np.sort(np.asarray(held, dtype=np.int64))
    mask = np.ones(len(labels), dtype=bool)
    mask[held] = False
    return np.flatnonzero(mask), held


def write_outcomes(path, correct, macs, args, split_sha256):
    """The plain backbone as a one-stage run in the offramp-outcomes/1 format."""
    n = int(len(correct))
    flags = "".join("1" if c else "0" for c in correct.tolist())
    doc = {"format": "offramp-outcomes/1", "bundle": f"plain-width{args.width}", "scheme": "plain",
           "seed": args.seed, "data": args.data_variant, "split": "test", "split_sha256": split_sha256,
           "samples": n, "backbone_macs": macs, "macs_through": [0, macs], "backbone_correct": flags,
           "profiles": [{"name": "plain", "margin": 0.0, "target": False, "stage": "0" * n,
                         "correct": flags}]}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f)
        f.write("\n")


def normalize(xb_u8):
    return xb_u8.float().div_(255.0).sub_(fr.MEAN).div_(fr.STD).unsqueeze(1)


@torch.no_grad()
def evaluate(model, x_u8, y, batch=1000):
    model.eval()
    correct = 0
    logits_all = []
    for i in range(0, len(x_u8), batch):
        logits = model(normalize(x_u8[i:i + batch]))
        logits_all.append(logits)
        correct += (logits.argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x_u8), torch.cat(logits_all)


def export_onnx(model, path):
    model.eval()
    dummy = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(
        model, dummy, path,
        input_names=["image"], output_names=["logits"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=17, do_constant_folding=True,
        training=torch.onnx.TrainingMode.EVAL,
    )


def verify_export(model, path, x_sample):
    """Check the exported graph. Uses onnxruntime when importable; otherwise compares the eager
    model with a re-traced TorchScript model (the graph torch.onnx.export converts) and checks
    that BatchNormalization was folded away. Returns a short description of what was checked."""
    model.eval()
    with torch.no_grad():
        ref = model(x_sample)
    try:
        import onnxruntime as ort  # noqa: WPS433 (optional)
    except ImportError:
        ort = None
    if ort is not None:
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        got = torch.from_numpy(sess.run(["logits"], {"image": x_sample.numpy()})[0])
        how = "onnxruntime"
    else:
        with torch.no_grad():
            traced = torch.jit.trace(model, torch.zeros(1, 1, 28, 28))
            got = traced(x_sample)
        how = "torch.jit.trace re-trace (onnxruntime not installed)"
    max_diff = (got - ref).abs().max().item()
    same_argmax = bool((got.argmax(1) == ref.argmax(1)).all())
    with open(path, "rb") as f:
        blob = f.read()
    bn_left = blob.count(b"BatchNormalization")
    print(f"verify ({how}): max |diff| = {max_diff:.3g}, argmax equal = {same_argmax}, "
          f"BatchNormalization nodes left = {bn_left}", flush=True)
    if max_diff > 1e-3 or not same_argmax:
        raise SystemExit("exported model does not match the trained model")
    return {"method": how, "max_abs_diff": max_diff, "batchnorm_nodes": bn_left,
            "samples": int(x_sample.shape[0])}


def save_weights(path, model, meta):
    """Weights as a numpy .npz (readable by any torch and numpy version, no pickle) with the run's
    settings as JSON under ``__meta__``; written atomically."""
    arrays = {name: t.detach().cpu().numpy() for name, t in model.state_dict().items()}
    arrays["__meta__"] = np.array(json.dumps(meta))
    with open(path + ".tmp", "wb") as f:
        np.savez(f, **arrays)
    os.replace(path + ".tmp", path)


def load_weights(path):
    with np.load(path, allow_pickle=False) as z:
        saved = json.loads(str(z["__meta__"]))
        saved["model"] = {k: torch.from_numpy(z[k].copy()) for k in z.files if k != "__meta__"}
    return saved


def train(model, opt, sched, gen, x_train, y_train, steps_per_epoch, first_epoch, elapsed_before,
          run_key, device, args):
    """The epochs; returns the training time in seconds (a resumed run counts the earlier part)."""
    model.to(device)
    n = len(x_train)
    t0 = time.time() - elapsed_before
    for epoch in range(first_epoch, args.epochs + 1):
        model.train()
        te = time.time()
        perm = torch.randperm(n, generator=gen)
        loss_sum, correct, seen = 0.0, 0, 0
        for step in range(steps_per_epoch):
            idx = perm[step * args.batch_size:(step + 1) * args.batch_size]
            xb = normalize(augment(x_train[idx], gen).to(device))
            yb = y_train[idx].to(device)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
            seen += len(idx)
            if step % 100 == 0:
                print(f"  epoch {epoch} step {step}/{steps_per_epoch} loss {loss.item():.4f} "
                      f"lr {sched.get_last_lr()[0]:.4f} {time.time() - te:.0f}s", flush=True)
        print(f"epoch {epoch}/{args.epochs}: train loss {loss_sum / seen:.4f} acc {correct / seen:.4f} "
              f"({time.time() - te:.0f}s, total {time.time() - t0:.0f}s)", flush=True)
        if args.checkpoint and epoch < args.epochs:
            torch.save({"run_key": run_key, "epoch": epoch, "train_time": time.time() - t0,
                        "model": {k: v.to("cpu") for k, v in model.state_dict().items()},
                        "opt": opt.state_dict(), "sched": sched.state_dict(), "gen": gen.get_state()}, args.checkpoint + ".tmp")
            os.replace(args.checkpoint + ".tmp", args.checkpoint)
    return time.time() - t0


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    device = torch.device(args.device)
    if device.type == "cuda":
        # cuBLAS is deterministic only with a fixed workspace; some CUDA kernels (the adaptive
        # average pool's backward) have no deterministic version, so CUDA runs warn instead of
        # failing and are not bit-reproducible. CPU runs stay strictly deterministic.
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
    else:
        torch.use_deterministic_algorithms(True)
    gen = torch.Generator().manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)

    x_train, y_train = fr.load_split(args.data, "train")
    x_test, y_test = fr.load_split(args.data, "test")
    if args.data_variant == "hard":
        print(f"generating the hard variant (seed {args.variant_seed})", flush=True)
        x_train = hf.harden(x_train, args.variant_seed, "train")
        x_test = hf.harden(x_test, args.variant_seed, "t10k")
    splits = {}
    if args.exclude_calibration > 0:
        keep, cal = stratified_holdout(y_train, args.exclude_calibration, args.calibration_seed)
        cal_dir = os.path.join(args.out, "calibration")
        os.makedirs(cal_dir, exist_ok=True)
        hf.write_idx(os.path.join(cal_dir, "train"), x_train[cal], y_train[cal])
        splits["calibration"] = {"images": int(len(cal)), "sha256": hf.split_digest(x_train[cal], y_train[cal]),
                                 "fraction": args.exclude_calibration, "dir": cal_dir,
                                 "note": "never trained on; pass --calibration-data fashion-mnist:" + cal_dir}
        x_train, y_train = x_train[keep], y_train[keep]
    if args.train_limit and args.train_limit < len(x_train):
        pick = np.sort(np.random.default_rng(args.seed).permutation(len(x_train))[:args.train_limit])
        x_train, y_train = x_train[pick], y_train[pick]
    if args.exclude_calibration > 0:
        # The images the backbone trains on, plus the test split, for `offramp build --data`: so the
        # exit heads train on the same images as the backbone and never on the calibration split.
        data_dir = os.path.join(args.out, "data")
        cal_dir = splits["calibration"]["dir"]
        os.makedirs(data_dir, exist_ok=True)
        hf.write_idx(os.path.join(data_dir, "train"), x_train, y_train)
        hf.write_idx(os.path.join(data_dir, "t10k"), x_test, y_test)
        splits["calibration"]["build_flags"] = (f"--data fashion-mnist:{data_dir} "
                                                f"--calibration-data fashion-mnist:{cal_dir}")
        print(f"calibration hold-out: {splits['calibration']['images']} images written to {cal_dir}; "
              f"the {len(x_train)} training and {len(x_test)} test images to {data_dir}", flush=True)
    splits["train"] = {"images": int(len(x_train)), "sha256": hf.split_digest(x_train, y_train)}
    splits["test"] = {"images": int(len(x_test)), "sha256": hf.split_digest(x_test, y_test)}
    if args.splits_only:
        for name, split in splits.items():
            print(f"split {name}: {split['images']} images, sha256 {split['sha256']}", flush=True)
        return 0
    x_train = torch.from_numpy(x_train)
    y_train = torch.from_numpy(y_train).long()
    x_test = torch.from_numpy(x_test)
    y_test = torch.from_numpy(y_test).long()

    model = fr.FashionResNet18(width=args.width)
    macs = fr.count_macs(model)
    params = sum(p.numel() for p in model.parameters())
    print(f"FashionResNet18 width={args.width}: {params} parameters, {macs / 1e6:.2f} M MACs/image", flush=True)

    n = len(x_train)
    steps_per_epoch = (n + args.batch_size - 1) // args.batch_size
    if args.max_batches:
        steps_per_epoch = min(steps_per_epoch, args.max_batches)
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    opt = torch.optim.SGD(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=steps_per_epoch,
        pct_start=0.25, div_factor=10.0, final_div_factor=100.0)

    run_key = {"epochs": args.epochs, "width": args.width, "seed": args.seed, "batch_size": args.batch_size,
               "lr": args.lr, "weight_decay": args.weight_decay, "max_batches": args.max_batches,
               "data_variant": args.data_variant, "variant_seed": args.variant_seed,
               "exclude_calibration": args.exclude_calibration, "calibration_seed": args.calibration_seed,
               "train_limit": args.train_limit}
    first_epoch, elapsed_before = 1, 0.0
    if args.resume:
        ckpt = torch.load(args.checkpoint)
        if ckpt["run_key"] != run_key:
            raise SystemExit(f"checkpoint {args.checkpoint} is for {ckpt['run_key']}, not {run_key}")
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["opt"])
        sched.load_state_dict(ckpt["sched"])
        gen.set_state(ckpt["gen"])
        first_epoch, elapsed_before = ckpt["epoch"] + 1, ckpt["train_time"]
        print(f"resumed from {args.checkpoint} after epoch {ckpt['epoch']}", flush=True)

    trained_on = {"device": "cpu", "torch_version": torch.__version__, "threads": args.threads}
    if args.weights:
        saved = load_weights(args.weights)
        if saved["run_key"] != run_key:
            raise SystemExit(f"--weights {args.weights} were trained with {saved['run_key']}, "
                             f"expected {run_key}: pass the flags of the --train-only run")
        digests = {k: v["sha256"] for k, v in splits.items()}
        if saved["splits"] != digests:
            raise SystemExit(f"--weights {args.weights} were trained on other images (split digests "
                             f"{saved['splits']}, here {digests}): the data or the numpy version "
                             "that generates the hard variant and the hold-out differs")
        model.load_state_dict(saved["model"])
        train_time, trained_on = saved["train_time"], saved["trained_on"]
        print(f"weights from {args.weights} (trained on {trained_on['device']}, "
              f"torch {trained_on['torch_version']}, {train_time:.0f}s)", flush=True)
    else:
        train_time = train(model, opt, sched, gen, x_train, y_train, steps_per_epoch, first_epoch,
                           elapsed_before, run_key, device, args)
        if device.type == "cuda":
            trained_on["device"] = torch.cuda.get_device_name(device)
            trained_on["deterministic"] = False
        model.to("cpu")
        if args.train_only:
            save_weights(args.train_only, model, {"run_key": run_key, "train_time": train_time,
                                                  "trained_on": trained_on,
                                                  "splits": {k: v["sha256"] for k, v in splits.items()}})
            print(f"wrote {args.train_only}; export it with the same flags and --weights "
                  f"{args.train_only}", flush=True)
            return 0

    test_acc, test_logits = evaluate(model, x_test, y_test)
    if args.outcomes:
        write_outcomes(args.outcomes, test_logits.argmax(1) == y_test, macs, args, splits["test"]["sha256"])
    print(f"test accuracy {test_acc:.4f} after {args.epochs} epochs, train time {train_time:.0f}s", flush=True)

    onnx_path = os.path.join(args.out, "backbone.onnx")
    export_onnx(model, onnx_path)
    check = verify_export(model, onnx_path, normalize(x_test[:256]))
    size = os.path.getsize(onnx_path)

    meta = {
        "model": "FashionResNet18 (ResNet-18 topology, small stem: 3x3 s1 conv+BN+ReLU, no max-pool)",
        "dataset": "Fashion-MNIST" if args.data_variant == "plain"
                   else f"Fashion-MNIST hard variant (hard_fashion.py, seed {args.variant_seed})",
        "data_variant": args.data_variant,
        "splits": splits,
        "train_limit": args.train_limit,
        "test_accuracy": round(test_acc, 4),
        "test_samples": int(len(x_test)),
        "epochs": args.epochs,
        "width": args.width,
        "stage_widths": [args.width, 2 * args.width, 4 * args.width, 8 * args.width],
        "seed": args.seed,
        "batch_size": args.batch_size,
        "optimizer": f"SGD nesterov momentum 0.9, weight decay {args.weight_decay}, "
                     f"OneCycle max lr {args.lr}",
        "augmentation": "random horizontal flip, random crop with 2 px zero padding",
        "torch_version": torch.__version__,
        "threads": args.threads,
        "trained_on": trained_on,
        "weights_file": os.path.basename(args.weights) if args.weights else None,
        "resumed": bool(args.resume),
        "train_time_seconds": round(train_time, 1),
        "parameters": params,
        "macs": macs,
        "input": {"name": "image", "shape": ["N", 1, 28, 28], "layout": "NCHW", "color": "gray"},
        "output": {"name": "logits", "shape": ["N", 10]},
        "opset": 17,
        "normalization": {"scale": "pixel/255", "mean": [fr.MEAN], "std": [fr.STD]},
        "class_names": fr.CLASS_NAMES,
        "onnx_bytes": size,
        "export_check": check,
        "command": "/usr/bin/python3 scripts/models/train_demo_backbone.py "
                   f"--out {args.out} --epochs {args.epochs} --width {args.width} --seed {args.seed}"
                   + (f" --data-variant hard --variant-seed {args.variant_seed}"
                      if args.data_variant == "hard" else "")
                   + (f" --exclude-calibration {args.exclude_calibration}"
                      f" --calibration-seed {args.calibration_seed}" if args.exclude_calibration else "")
                   + (f" --train-limit {args.train_limit}" if args.train_limit else ""),
    }
    with open(os.path.join(args.out, "backbone.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    if args.checkpoint and os.path.exists(args.checkpoint):
        os.remove(args.checkpoint)
    print(f"wrote {onnx_path} ({size} bytes) and {os.path.join(args.out, 'backbone.json')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
