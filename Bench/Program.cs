using System.CommandLine;
using BenchmarkDotNet.Running;
using Kernels.Bench.Commands;
using Kernels.Bench.Experiments;
using Kernels.Bench.Experiments.Sketching;

// The command line of the Bench project: the README's quickstart, the side-by-side comparisons with peers,
// the machine limits, and BenchmarkDotNet's micro-benchmarks (`bench`, arguments passed through to it).
var root = new RootCommand("Kernels benchmarks, peer comparisons and the quickstart showcase.");

var quickstart = new Command("quickstart", "The main job: trains the seed-002 net by sublinear and dense Gauss-Newton on built-in data (about a minute).");
quickstart.SetAction(_ => QuickstartCommand.Run());
root.Subcommands.Add(quickstart);

var showcase = new Command("showcase", "The kernel showcase: level-1 kernels, selection, random numbers, Gemm against the FMA peak, the forest and sketch-preconditioned least squares.");
showcase.SetAction(_ => ShowcaseCommand.Run());
root.Subcommands.Add(showcase);

var machine = new Command("machine", "Measure FMA peak and memory bandwidth, and record them in Bench/results.");
machine.SetAction(_ => MachineCommand.Run());
root.Subcommands.Add(machine);

var compare = new Command("compare", "Run our kernels and a peer library side by side in one run and print ratios.");
var compareKernels = new Command("kernels", "Gemm, Gemv and Dot against NumPy on OpenBLAS (run Bench/peers/install.sh first).");
compareKernels.SetAction(_ => CompareKernelsCommand.Run());
compare.Subcommands.Add(compareKernels);
var compareBandwidth = new Command("bandwidth", "Level-1 kernels at 16M elements against the memory bandwidth of the same traffic.");
compareBandwidth.SetAction(_ => CompareBandwidthCommand.Run());
compare.Subcommands.Add(compareBandwidth);
var compareSketching = new Command("sketching", "CountSketch and OSNAP against scikit-learn and SciPy, FWHT against a scalar loop (run Bench/peers/install.sh first).");
compareSketching.SetAction(_ => CompareSketchingCommand.Run());
compare.Subcommands.Add(compareSketching);
var compareLinalg = new Command("linalg", "Cholesky, QR and PCG against SciPy/NumPy (same matrices) and MathNet's managed provider.");
compareLinalg.SetAction(_ => CompareLinalgCommand.Run());
compare.Subcommands.Add(compareLinalg);
var compareAlignment = new Command("alignment", "Dot and Sum on 64-byte-aligned and misaligned spans, ours against TensorPrimitives.");
compareAlignment.SetAction(_ => CompareAlignmentCommand.Run());
compare.Subcommands.Add(compareAlignment);
var ntkTrainingOption = new Option<int>("--n") { Description = "Training points of the exact KRR comparison.", DefaultValueFactory = _ => 5000 };
var ntkPcgOption = new Option<int>("--pcg-n") { Description = "Points of the Nyström-PCG against CG target.", DefaultValueFactory = _ => 20000 };
var ntkRankOption = new Option<int>("--rank") { Description = "Rank of the Nyström preconditioner (1600 reaches ≤ 50 iterations at n = 20,000).", DefaultValueFactory = _ => 1600 };
var compareNtk = new Command("ntk", "Exact NTK kernel ridge regression against NumPy + scikit-learn KernelRidge, and Nyström PCG against CG (run Bench/peers/install.sh first).");
compareNtk.Options.Add(ntkTrainingOption);
compareNtk.Options.Add(ntkPcgOption);
compareNtk.Options.Add(ntkRankOption);
compareNtk.SetAction(parse => CompareNtkCommand.Run(parse.GetValue(ntkTrainingOption), parse.GetValue(ntkPcgOption), parse.GetValue(ntkRankOption)));
compare.Subcommands.Add(compareNtk);
var compareRnn = new Command("rnn", "Seed 003's Elman RNN against PyTorch's nn.RNN: loss and gradient agreement in float32/float64, and one training step at L = 32, N = 64, m = 512 on 2 threads each.");
compareRnn.SetAction(_ => CompareRnnCommand.Run());
compare.Subcommands.Add(compareRnn);
root.Subcommands.Add(compare);

var experiment = new Command("experiment", "Reproduce a paper's claim; writes a markdown table and PNG plots under docs/results (with --quick: a small grid into artifacts/).");
var quickOption = new Option<bool>("--quick") { Description = "A small grid for CI, written to artifacts/ so committed results stay as they are." };
var sublinearScaling = new Command("sublinear-scaling", "Seed 002: dense vs sublinear Gauss-Newton over n, d and m = 2^12 … 2^22; slopes, bounds and the crossover map.");
var sublinearPointsOption = new Option<int[]>("--n") { Description = "Only these n (of 4, 16, 64), e.g. --n 16 64; a filtered run writes to artifacts/, not docs/results.", AllowMultipleArgumentsPerToken = true };
var sublinearDimensionsOption = new Option<int[]>("--d") { Description = "Only these d (of 32, 128, 512), e.g. --d 128 512; a filtered run writes to artifacts/, not docs/results.", AllowMultipleArgumentsPerToken = true };
sublinearScaling.Options.Add(quickOption);
sublinearScaling.Options.Add(sublinearPointsOption);
sublinearScaling.Options.Add(sublinearDimensionsOption);
sublinearScaling.SetAction(parse => SublinearScalingExperiment.Run(parse.GetValue(quickOption), parse.GetValue(sublinearPointsOption), parse.GetValue(sublinearDimensionsOption)));
experiment.Subcommands.Add(sublinearScaling);
var sketching = new Command("sketching", "Seed 001's sketch claims: bucket loads against Bellare–Rompel, subspace distortion against s = C·d/ε², sketched-layer error against s.");
sketching.Options.Add(quickOption);
sketching.SetAction(parse => SketchingExperiment.Run(parse.GetValue(quickOption)));
experiment.Subcommands.Add(sketching);
var ntkExperiment = new Command("ntk", "Seed 004: ε against m for plain and leverage-sampled NTK features, KRR test accuracy, and the wide-net ↔ NTK-KRR equivalence.");
var leverageOnlyOption = new Option<bool>("--leverage-only") { Description = "Only ε against m for plain and leverage sampling (synthetic and MNIST); writes ntk-leverage.md." };
ntkExperiment.Options.Add(quickOption);
ntkExperiment.Options.Add(leverageOnlyOption);
ntkExperiment.SetAction(parse => NtkExperiment.Run(parse.GetValue(quickOption), parse.GetValue(leverageOnlyOption)));
experiment.Subcommands.Add(ntkExperiment);
var rnnConvergence = new Command("rnn-convergence", "Seed 003: GD on a ReLU Elman RNN with η ∝ 1/m, m ∈ {256, 1024, 4096}, L ∈ {5, 10, 20}; fitted linear rates over seeds and gradient norms across steps.");
rnnConvergence.Options.Add(quickOption);
rnnConvergence.SetAction(parse => RnnConvergenceExperiment.Run(parse.GetValue(quickOption)));
experiment.Subcommands.Add(rnnConvergence);
var epochsOption = new Option<int?>("--epochs") { Description = "Epochs on MNIST-10k (Fashion-MNIST, 7.5 times larger, gets a quarter); default 8 and 2 (2 on MNIST with --quick)." };
var noPeerOption = new Option<bool>("--no-peer") { Description = "Skip the PyTorch comparison and the peak-working-set probes." };
var peerOnlyOption = new Option<bool>("--peer-only") { Description = "Only the PyTorch comparison and the peak-working-set probes (a timing run: run it on a quiet machine); writes hashednets-peer.md (with --data or --epochs, a file of its own named by them, e.g. hashednets-peer-fashion-epochs-8.md for --data fashion --epochs 32)." };
var peerSeedsOption = new Option<int>("--seeds") { Description = "Seeds per side in the PyTorch comparison (at least 2); default 5.", DefaultValueFactory = _ => HashedNetsExperiment.DefaultPeerSeeds };
var dataOption = new Option<string?>("--data") { Description = "One data set only: mnist or fashion; default both." };
dataOption.AcceptOnlyFromAmong("mnist", "fashion");
var hashedNets = new Command("hashednets", "Seed 001: HashedNets, SmallNets and ThinNets at compression 1, 8, 64, 128 on MNIST-10k and Fashion-MNIST; rank check; dense net against PyTorch.");
hashedNets.Options.Add(quickOption);
hashedNets.Options.Add(epochsOption);
hashedNets.Options.Add(noPeerOption);
hashedNets.Options.Add(peerOnlyOption);
hashedNets.Options.Add(peerSeedsOption);
hashedNets.Options.Add(dataOption);
hashedNets.SetAction(parse => HashedNetsExperiment.Run(parse.GetValue(quickOption), parse.GetValue(epochsOption), parse.GetValue(noPeerOption) || parse.GetValue(quickOption), parse.GetValue(peerOnlyOption),
    parse.GetValue(peerSeedsOption), parse.GetValue(dataOption)));
experiment.Subcommands.Add(hashedNets);
var memoryModel = new Argument<string>("model");
var memoryData = new Argument<string>("dataset");
var memoryEpochs = new Argument<int>("epochs");
var hashedNetsMemory = new Command("hashednets-memory", "Internal: trains one model of the hashednets experiment and prints its peak working set.") { Hidden = true };
hashedNetsMemory.Arguments.Add(memoryModel);
hashedNetsMemory.Arguments.Add(memoryData);
hashedNetsMemory.Arguments.Add(memoryEpochs);
hashedNetsMemory.SetAction(parse => HashedNetsExperiment.RunMemoryProbe(parse.GetValue(memoryModel)!, parse.GetValue(memoryData)!, parse.GetValue(memoryEpochs)));
experiment.Subcommands.Add(hashedNetsMemory);
root.Subcommands.Add(experiment);

var bench = new Command("bench", "BenchmarkDotNet micro-benchmarks; other arguments go to BenchmarkDotNet (e.g. --filter '*Gemm*').")
{
    TreatUnmatchedTokensAsErrors = false,
};
bench.SetAction(parse =>
{
    BenchmarkSwitcher.FromAssembly(typeof(QuickstartCommand).Assembly).Run(parse.UnmatchedTokens.ToArray());
    return 0;
});
root.Subcommands.Add(bench);

return root.Parse(args).Invoke();
