using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Bench.Commands;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Solvers;
using Kernels.Sparse;
using MathNet.Numerics.LinearAlgebra.Double.Solvers;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.LinearAlgebra.Solvers;

namespace Kernels.Bench.Micro;

// Inside the namespace, so that MathNet's Matrix<T> wins over the globally imported Kernels.Core.Matrix<T>.
using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// Dense factorizations and the iterative solver against MathNet.Numerics' managed provider (the baseline of each
/// category), double precision, on the problems of <see cref="LinalgProblems"/>. For a size N: Cholesky factor-and-solve
/// of the N × N KMS matrix; QR with thin Q of the 8N × N/8 hashed matrix; and an SPD solve to a relative residual of
/// 10⁻⁸ of the 2-D Poisson matrix on an N/8 × N/8 grid, MathNet's BiCgStab (its <c>ResidualStopCriterion</c>) against our CG, both
/// with a diagonal (Jacobi) preconditioner. SciPy and NumPy run side by side at the sizes in <c>compare linalg</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LinalgBenchmarks
{
    private static readonly ConjugateGradientOptions CgOptions = new() { RelativeTolerance = 1e-8 };

    private double[] _spd = [], _factor = [], _rhs = [], _solution = [], _tall = [], _thinQ = [];
    private Matrix<double> _mathNetSpd = null!, _mathNetTall = null!, _mathNetPoisson = null!;
    private Vector<double> _mathNetRhs = null!, _mathNetPoissonRhs = null!, _mathNetPoissonSolution = null!;
    private HouseholderQr<double> _qr = null!;
    private CsrOperator<double> _poisson = null!;
    private JacobiPreconditioner<double> _jacobi = null!;
    private ConjugateGradientWorkspace<double> _workspace = null!;
    private double[] _poissonRhs = [], _poissonSolution = [];

    /// <summary>The size parameter: one aligned and one odd value.</summary>
    [Params(512, 511)]
    public int N { get; set; }

    private int TallRows => 8 * N;

    private int TallColumns => N / 8;

    /// <summary>Builds the problems (deterministic formulas) and both libraries' copies of them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        MathNet.Numerics.Control.UseManaged();
        _spd = LinalgProblems.Kms(N);
        _factor = new double[N * N];
        _rhs = LinalgProblems.PoissonRightHandSide(N);
        _solution = new double[N];
        _mathNetSpd = Matrix<double>.Build.DenseOfRowMajor(N, N, _spd);
        _mathNetRhs = Vector<double>.Build.DenseOfArray(_rhs);

        _tall = LinalgProblems.Hashed(TallRows, TallColumns);
        _thinQ = new double[TallRows * TallColumns];
        _qr = new HouseholderQr<double>(TallRows, TallColumns);
        _mathNetTall = Matrix<double>.Build.DenseOfRowMajor(TallRows, TallColumns, _tall);

        CsrMatrix<double> poisson = LinalgProblems.Poisson2D(N / 8);
        _poisson = new CsrOperator<double>(poisson);
        _jacobi = JacobiPreconditioner<double>.FromOperator(_poisson);
        _workspace = new ConjugateGradientWorkspace<double>(poisson.Rows);
        _poissonRhs = LinalgProblems.PoissonRightHandSide(poisson.Rows);
        _poissonSolution = new double[poisson.Rows];
        _mathNetPoisson = Matrix<double>.Build.SparseFromCompressedSparseRowFormat(poisson.Rows, poisson.Columns, poisson.NonZeroCount,
            poisson.RowPointers.ToArray(), poisson.ColumnIndices.ToArray(), poisson.Values.ToArray());
        _mathNetPoissonRhs = Vector<double>.Build.DenseOfArray(_poissonRhs);
        _mathNetPoissonSolution = Vector<double>.Build.Dense(poisson.Rows);
    }

    // ---- Cholesky: factor A, then solve A·x = b --------------------------------------------------------------

    /// <summary>MathNet <c>Cholesky()</c> then <c>Solve</c>.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("CholeskySolve")]
    public double CholeskyMathNet() => _mathNetSpd.Cholesky().Solve(_mathNetRhs)[N - 1];

    /// <summary><see cref="Cholesky.Factor{T}"/> on a copy, then <see cref="Cholesky.Solve{T}(ReadOnlyMatrixView{T}, Span{T})"/>.</summary>
    [Benchmark, BenchmarkCategory("CholeskySolve")]
    public double CholeskyKernels()
    {
        _spd.CopyTo(_factor, 0);
        Cholesky.Factor(new MatrixView<double>(_factor, N, N));
        _rhs.CopyTo(_solution, 0);
        Cholesky.Solve(new ReadOnlyMatrixView<double>(_factor, N, N), _solution);
        return _solution[N - 1];
    }

    // ---- QR of a tall matrix, with the thin Q ----------------------------------------------------------------

    /// <summary>MathNet <c>QR(QRMethod.Thin)</c>, which forms Q (8N × N/8) and R.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("QR")]
    public double QrMathNet() => _mathNetTall.QR(QRMethod.Thin).R[0, 0];

    /// <summary><see cref="HouseholderQr{T}.Refactor"/> and <see cref="HouseholderQr{T}.FormThinQ"/>: the same outputs.</summary>
    [Benchmark, BenchmarkCategory("QR")]
    public double QrKernels()
    {
        _qr.Refactor(new ReadOnlyMatrixView<double>(_tall, TallRows, TallColumns));
        _qr.FormThinQ(new MatrixView<double>(_thinQ, TallRows, TallColumns));
        return _thinQ[0];
    }

    /// <summary><see cref="HouseholderQr{T}.Refactor"/> alone (R and the reflectors), what a least-squares solve or a preconditioner needs.</summary>
    [Benchmark, BenchmarkCategory("QR")]
    public double QrKernelsFactorOnly()
    {
        _qr.Refactor(new ReadOnlyMatrixView<double>(_tall, TallRows, TallColumns));
        return _qr.Rows;
    }

    // ---- Iterative SPD solve: 2-D Poisson, diagonal preconditioner, relative residual 1e-8 ------------------

    /// <summary>MathNet <c>BiCgStab</c> with <c>DiagonalPreconditioner</c> (two products per iteration; it does not need symmetry).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("IterativeSolve")]
    public double IterativeMathNet()
    {
        var iterator = new Iterator<double>(new IterationCountStopCriterion<double>(100_000), new ResidualStopCriterion<double>(1e-8));
        _mathNetPoissonSolution.Clear();
        new BiCgStab().Solve(_mathNetPoisson, _mathNetPoissonRhs, _mathNetPoissonSolution, iterator, new DiagonalPreconditioner());
        return _mathNetPoissonSolution[0];
    }

    /// <summary><see cref="ConjugateGradient.Solve{T}"/> with <see cref="JacobiPreconditioner{T}"/> and a reused workspace.</summary>
    [Benchmark, BenchmarkCategory("IterativeSolve")]
    public double IterativeKernels()
    {
        var result = ConjugateGradient.Solve(_poisson, _poissonRhs, _poissonSolution, _jacobi, CgOptions, _workspace);
        return result.RelativeResidual + _poissonSolution[0];
    }
}
