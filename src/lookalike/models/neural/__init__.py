"""Neural generators in PyTorch: `gan`, `wgan-gp`, `ctgan` and `tvae` (needs lookalike[torch]).

One contract class and plain components, no deep class chain:

base         NeuralModel (the contract of the torch models: layout, device, seeds, training run,
             sampling in batches, weights in model files) and the `Network` protocol it drives
adversarial  Adversarial: the generator-vs-critic network of the three GANs (+ condition sampler)
losses       CrossEntropy (gan) and Wasserstein (wgan-gp, ctgan): the loss objects it trains with
vae          Autoencoder: the network of tvae
data         DataLayout: encoded frame <-> float matrix (mode-specific or quantile values,
             one-hot categories) and the spans the networks' outputs follow
sampler      ConditionSampler: conditional vectors and training-by-sampling
training     the one training loop (epochs, progress, max_time, Ctrl-C), devices, threads
networks     seeded layers, generators, critics, span activations (imports torch)
best_epoch   BestEpoch: `keep_best`, keeping the best-scoring epoch's weights
validation   EpochScore: the cheap per-epoch fidelity score it uses
gan, wgan_gp, ctgan, tvae   the models: declared parameters and which network they build
"""
