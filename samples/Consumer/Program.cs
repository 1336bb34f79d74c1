// A user's program on the packed libraries: a matrix product checked against a plain loop, then an ill-conditioned
// least-squares problem solved by conjugate gradient on the normal equations, with and without a sketch-and-QR
// preconditioner (OSNAP), and a property test of Level1.Dot with the Kernels.Testing kit (its generators, exact
// reference and tolerance rule, run by FsCheck). Exits with 1 if any check fails, so CI can run it.
using Kernels.Blas;
using Kernels.Core;
using Kernels.Randomness;
using Kernels.Sketching.Operators;
using Kernels.Sketching.Preconditioners;
using Kernels.Testing;
using FsCheck;
using FsCheck.Fluent;
using Kernels.Solvers;

const ulong seed = 2026;
bool ok = true;

// 1. C = A·B with Gemm, against a triple loop.
const int m = 300, k = 200, n = 250;
var a = new float[m * k];
var b = new float[k * n];
var c = new float[m * n];
new CounterRandom(seed, 0).FillNormal(a.AsSpan(), 0f, 1f);
new CounterRandom(seed, 1).FillNormal(b.AsSpan(), 0f, 1f);
Level3.Gemm(Transpose.None, Transpose.None, 1f, new ReadOnlyMatrixView<float>(a, m, k), new ReadOnlyMatrixView<float>(b, k, n),
    0f, new MatrixView<float>(c, m, n));
double worst = 0;
for (int i = 0; i < m; i++)
{
    for (int j = 0; j < n; j++)
    {
        double sum = 0, scale = 0;
        for (int p = 0; p < k; p++)
        {
            sum += (double)a[i * k + p] * b[p * n + j];
            scale += Math.Abs((double)a[i * k + p] * b[p * n + j]);
        }
        worst = Math.Max(worst, Math.Abs(c[i * n + j] - sum) / scale);
    }
}
Console.WriteLine($"Gemm {m}×{k}·{k}×{n}: worst error relative to Σ|a·b| = {worst:E2}");
ok &= worst < 1e-5;

// 2. min ‖A·x − b‖ for a tall A whose columns are scaled over three orders of magnitude (κ(A) ≈ 1e3, κ(AᵀA) ≈ 1e6).
const int rows = 4000, columns = 40;
var tall = new double[rows * columns];
new CounterRandom(seed, 2).FillNormal(tall.AsSpan(), 0.0, 1.0);
for (int i = 0; i < rows; i++)
{
    for (int j = 0; j < columns; j++)
    {
        tall[i * columns + j] *= Math.Pow(10, -3.0 * j / (columns - 1));
    }
}
var truth = new double[columns];
new CounterRandom(seed, 3).FillNormal(truth.AsSpan(), 0.0, 1.0);
var map = new DenseMap<double>(tall, rows, columns);
var rhs = new double[rows];
map.Apply(1.0, truth, 0.0, rhs);
var normalRhs = new double[columns];
map.ApplyTranspose(1.0, rhs, 0.0, normalRhs);
var gram = new GramOperator<double>(map, GramForm.AtA);
var cgOptions = new ConjugateGradientOptions { RelativeTolerance = 1e-10, MaxIterations = 2000 };

var plain = new double[columns];
var plainResult = ConjugateGradient.Solve(gram, normalRhs, plain, null, cgOptions);

var sketch = new SparseEmbeddingDistribution(rows: 4 * columns, columns: rows, nonzerosPerColumn: 4).Sample<double>(seed);
var preconditioner = new SketchQrPreconditioner<double>(sketch, columns);
preconditioner.Factor(new ReadOnlyMatrixView<double>(tall, rows, columns));
var sketched = new double[columns];
var sketchedResult = ConjugateGradient.Solve(gram, normalRhs, sketched, preconditioner, cgOptions);

double error = 0, norm = 0;
for (int j = 0; j < columns; j++)
{
    error += (sketched[j] - truth[j]) * (sketched[j] - truth[j]);
    norm += truth[j] * truth[j];
}
double relativeError = Math.Sqrt(error / norm);
Console.WriteLine($"Least squares {rows}×{columns}: plain CG {plainResult.Status} after {plainResult.Iterations} iterations; " +
    $"sketch-preconditioned CG {sketchedResult.Status} after {sketchedResult.Iterations}, ‖x − x*‖/‖x*‖ = {relativeError:E2}");
ok &= sketchedResult.Status == SolverStatus.Converged && sketchedResult.Iterations < plainResult.Iterations && relativeError < 1e-6;

// 3. A property test as a user writes one for their own kernel: over FsCheck's generated vectors (every length, offset
// and kind of value the kit generates, shrunk to the smallest failure), Dot agrees with the exact dot product within
// the tolerance rule's bound for n + 2 roundings.
try
{
    Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(KernelGenerators.Vectors(), (VectorCase c) =>
    {
        float[] x = c.Values<float>(stream: 0).ToArray();
        float[] y = c.Values<float>(stream: 1).ToArray();
        var (exact, magnitude) = Reference.Dot<float>(x, y);
        Tolerance.AssertClose(Level1.Dot<float>(x, y), exact, magnitude, growth: x.Length + 2, context: c.ToString());
    }));
    Console.WriteLine("Property: Level1.Dot matches Reference.Dot within the tolerance rule on 300 generated cases");
}
catch (Exception e)
{
    Console.WriteLine($"Property FAILED: {e.Message}");
    ok = false;
}

Console.WriteLine(ok ? "sample: all checks passed" : "sample: a check FAILED");
return ok ? 0 : 1;
