namespace Kernels.Activations;

/// <summary>
/// For each of n rows (data points), an ascending list of (index, value) pairs: the active set
/// Q_i = { r : ⟨w_r, x_i⟩ ≥ b } of a shifted-ReLU layer together with the inner products, as a
/// <c>ThresholdForest</c> query or <see cref="ThresholdProducts"/> produces them. A caller-owned, reusable
/// CSR-like structure: producers overwrite rows in place and the buffers only grow.
/// </summary>
/// <remarks>
/// <para><b>Storage.</b> Each row has its own index and value buffers, so rows can be filled independently and in
/// parallel. A buffer grows (to at least twice its capacity) only when a row needs more room than it has, so
/// refilling the sets with answers of similar size allocates nothing after the first round.</para>
/// <para><b>Writing a row.</b> <see cref="Reserve"/> makes room (keeping what the buffers hold),
/// <see cref="WritableIndices"/> and <see cref="WritableValues"/> expose the whole capacity, and
/// <see cref="Commit"/> sets the row's count after checking that its indices are non-negative and strictly
/// ascending. <see cref="Set"/> does all three from spans.</para>
/// <para><b>Threads.</b> Different rows may be written by different threads at the same time; one row must not be
/// written by two threads at once, nor read while it is written. Reading concurrently is always safe.</para>
/// </remarks>
public sealed class ActiveSets
{
    private readonly int[][] _indices;
    private readonly float[][] _values;
    private readonly int[] _counts;

    /// <summary>Empty sets for <paramref name="rows"/> rows, each with room for <paramref name="capacity"/> entries.</summary>
    /// <param name="rows">Number of rows n, ≥ 0.</param>
    /// <param name="capacity">Initial room per row, ≥ 0; rows grow as needed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="capacity"/> is negative.</exception>
    public ActiveSets(int rows, int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _indices = new int[rows][];
        _values = new float[rows][];
        _counts = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            _indices[row] = capacity == 0 ? [] : new int[capacity];
            _values[row] = capacity == 0 ? [] : new float[capacity];
        }
    }

    /// <summary>Number of rows n.</summary>
    public int Rows => _counts.Length;

    /// <summary>Entries in all rows together, Σ_i <see cref="Count"/>(i). O(n).</summary>
    public long TotalCount
    {
        get
        {
            long total = 0;
            foreach (int count in _counts)
            {
                total += count;
            }
            return total;
        }
    }

    /// <summary>Number of entries in row <paramref name="row"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    public int Count(int row) => _counts[RequireRow(row)];

    /// <summary>Room in row <paramref name="row"/>'s buffers: how many entries it can hold before it must grow.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    public int Capacity(int row) => _indices[RequireRow(row)].Length;

    /// <summary>The indices of row <paramref name="row"/>, strictly ascending. Valid until the row is next written.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    public ReadOnlySpan<int> Indices(int row) => _indices[RequireRow(row)].AsSpan(0, _counts[row]);

    /// <summary>The values of row <paramref name="row"/>, element t belonging to <see cref="Indices"/>(row)[t].
    /// Valid until the row is next written.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    public ReadOnlySpan<float> Values(int row) => _values[RequireRow(row)].AsSpan(0, _counts[row]);

    /// <summary>Empties every row; the buffers are kept.</summary>
    public void Clear() => Array.Clear(_counts);

    /// <summary>
    /// Makes room for at least <paramref name="capacity"/> entries in row <paramref name="row"/>, keeping the contents
    /// of its buffers (committed or not, so a producer may grow a row it is still filling). Grows to at least twice the old capacity, so repeated growth costs amortized O(1) per entry; does
    /// nothing when the row already has the room.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>), or
    /// <paramref name="capacity"/> is negative.</exception>
    public void Reserve(int row, int capacity)
    {
        RequireRow(row);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        int[] indices = _indices[row];
        if (capacity <= indices.Length)
        {
            return;
        }
        int grown = (int)Math.Clamp(2L * indices.Length, capacity, Math.Max(capacity, Array.MaxLength));
        var newIndices = new int[grown];
        var newValues = new float[grown];
        indices.CopyTo(newIndices);
        _values[row].CopyTo(newValues);
        _indices[row] = newIndices;
        _values[row] = newValues;
    }

    /// <summary>
    /// The whole index buffer of row <paramref name="row"/> (<see cref="Capacity"/> elements) for a producer to fill;
    /// the first <see cref="Count"/>(row) elements are the current entries. Valid until the row next grows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    public Span<int> WritableIndices(int row) => _indices[RequireRow(row)];

    /// <summary>The whole value buffer of row <paramref name="row"/>, parallel to <see cref="WritableIndices"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    public Span<float> WritableValues(int row) => _values[RequireRow(row)];

    /// <summary>
    /// Declares that row <paramref name="row"/> holds the first <paramref name="count"/> entries of its writable
    /// buffers. Checks, in O(count), that those indices are non-negative and strictly ascending.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>), or
    /// <paramref name="count"/> is negative or exceeds <see cref="Capacity"/>(row).</exception>
    /// <exception cref="ArgumentException">An index is negative or not above the one before it; the row keeps its
    /// previous count.</exception>
    public void Commit(int row, int count)
    {
        int[] indices = _indices[RequireRow(row)];
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, indices.Length);
        RequireAscending(indices.AsSpan(0, count), "indices");
        _counts[row] = count;
    }

    /// <summary>Replaces row <paramref name="row"/> with the pairs (<paramref name="indices"/>[t], <paramref name="values"/>[t]).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    /// <exception cref="ArgumentException">The spans differ in length, or <paramref name="indices"/> is not non-negative
    /// and strictly ascending. The row is unchanged.</exception>
    public void Set(int row, ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        RequireRow(row);
        if (values.Length != indices.Length)
        {
            throw new ArgumentException($"values has length {values.Length}; it needs one value per index ({indices.Length}).", nameof(values));
        }
        RequireAscending(indices, nameof(indices));
        Reserve(row, indices.Length);
        indices.CopyTo(_indices[row]);
        values.CopyTo(_values[row]);
        _counts[row] = indices.Length;
    }

    private int RequireRow(int row)
    {
        if ((uint)row >= (uint)_counts.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {_counts.Length}).");
        }
        return row;
    }

    private static void RequireAscending(ReadOnlySpan<int> indices, string name)
    {
        int previous = -1;
        for (int t = 0; t < indices.Length; t++)
        {
            if (indices[t] <= previous)
            {
                throw new ArgumentException(
                    $"{name} must be non-negative and strictly ascending; element {t} is {indices[t]} after {previous}.", name);
            }
            previous = indices[t];
        }
    }
}
