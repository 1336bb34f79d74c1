using Kernels.Blas;

namespace Kernels.Trees;

/// <summary>
/// The floats of n equally sized trees, laid end to end in pinned, 64-byte aligned arrays ("slabs"). Tree i starts
/// at a multiple of 64 bytes, so a 16-float node of the wide layout is exactly one cache line, and the leaves of
/// consecutive trees form a strided matrix that one product call can fill.
/// </summary>
/// <remarks>
/// A .NET array holds at most <see cref="Array.MaxLength"/> elements, while n·(tree length) may exceed 2³¹, so the
/// trees are split over as many slabs as needed, each holding whole trees. Slabs are pinned (allocated on the
/// pinned object heap) because the wide layout prefetches nodes by address. They start zeroed.
/// </remarks>
internal sealed class TreeStorage
{
    /// <summary>Floats per cache line; every tree and every slab origin is a multiple of it.</summary>
    public const int LineFloats = 16;

    private readonly float[][] _slabs;
    private readonly int[] _origins;

    /// <summary>Allocates <paramref name="trees"/> trees of <paramref name="treeLength"/> floats (a multiple of
    /// <see cref="LineFloats"/>), with at most <paramref name="maxSlabLength"/> floats per slab.</summary>
    /// <exception cref="ArgumentException">One tree does not fit in a slab.</exception>
    public TreeStorage(int trees, int treeLength, int maxSlabLength)
    {
        if (treeLength % LineFloats != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(treeLength), treeLength, $"A tree must be a whole number of {LineFloats}-float lines.");
        }
        // A slab carries up to LineFloats − 1 floats of alignment padding in front of its first tree.
        long room = (long)maxSlabLength - (LineFloats - 1);
        if (treeLength > room)
        {
            throw new ArgumentException(
                $"One tree needs {treeLength} floats, more than the {room} an array can hold; use fewer neurons.", "weights");
        }
        Trees = trees;
        TreeLength = treeLength;
        TreesPerSlab = (int)Math.Min(trees, room / treeLength);
        int slabCount = (trees + TreesPerSlab - 1) / TreesPerSlab;
        _slabs = new float[slabCount][];
        _origins = new int[slabCount];
        for (int s = 0; s < slabCount; s++)
        {
            int count = TreesInSlab(s);
            float[] slab = LargeArrays.Allocate<float>((long)count * treeLength + LineFloats - 1);
            _slabs[s] = slab;
            _origins[s] = AlignmentOffset(slab);
        }
    }

    /// <summary>Number of trees.</summary>
    public int Trees { get; }

    /// <summary>Floats per tree, a multiple of <see cref="LineFloats"/>.</summary>
    public int TreeLength { get; }

    /// <summary>Trees held by every slab but possibly the last.</summary>
    public int TreesPerSlab { get; }

    /// <summary>Number of slabs.</summary>
    public int SlabCount => _slabs.Length;

    /// <summary>Floats in all trees together: n·(tree length), which may exceed 2³¹.</summary>
    public long TotalFloats => (long)Trees * TreeLength;

    /// <summary>The floats of tree <paramref name="tree"/>; the caller has checked the index.</summary>
    public Span<float> Tree(int tree)
    {
        int slab = tree / TreesPerSlab;
        return _slabs[slab].AsSpan(_origins[slab] + (tree - slab * TreesPerSlab) * TreeLength, TreeLength);
    }

    /// <summary>Index of the first tree in slab <paramref name="slab"/>.</summary>
    public int FirstTree(int slab) => slab * TreesPerSlab;

    /// <summary>Number of trees in slab <paramref name="slab"/>.</summary>
    public int TreesInSlab(int slab) => Math.Min(TreesPerSlab, Trees - slab * TreesPerSlab);

    /// <summary>
    /// The matrix whose row r is floats <c>offset … offset + columns − 1</c> of the r-th tree of slab
    /// <paramref name="slab"/>: with the leaf offset and m columns it is the slab's block of the n × m leaf matrix.
    /// </summary>
    public MatrixView<float> Rows(int slab, int offset, int columns) =>
        new(_slabs[slab].AsSpan(_origins[slab] + offset), TreesInSlab(slab), columns, TreeLength);

    /// <summary>Floats to skip so that element 0 of a tree lies on a 64-byte boundary (the array is pinned, so the address is fixed).</summary>
    private static unsafe int AlignmentOffset(float[] slab)
    {
        fixed (float* p = slab)
        {
            int misalignment = (int)((nuint)p % (LineFloats * sizeof(float)));
            return misalignment == 0 ? 0 : (LineFloats * sizeof(float) - misalignment) / sizeof(float);
        }
    }
}
