using System.Numerics;
using System.Runtime.CompilerServices;
using Kernels.Blas;

namespace Kernels.Sketching.Layers;

/// <summary>
/// The virtual HashedNets matrix V (outputs × inputs, V[i, j] = ξ(i, j)·w[h(i, j)]) or its transpose as a Gemm operand:
/// the pack hook. Gemm asks for blocks in its micro-panel layouts, and this source hashes the keys of the block and
/// gathers the signed weights straight into the panels, so V exists only one packed block at a time (at most
/// KC × NC entries per thread) and is never materialized.
/// </summary>
/// <remarks>
/// A block is packed line by line, where a line is a run of consecutive keys (a row of V: fixed i, consecutive j).
/// Depending on the operand's orientation and the panel layout Gemm asks for, a line either crosses the panels (its
/// entries land <c>P</c> apart, P the panel width) or runs along them (contiguous pieces of P entries, one per panel).
/// The table pointer must stay pinned, and the table unchanged, for the whole Gemm call; packing only reads, so
/// Gemm's threads may pack concurrently.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
internal readonly unsafe struct VirtualMatrixPanels<T> : IPanelSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly HashedWeightMap<T> _map;
    private readonly T* _table;
    private readonly bool _transposed;

    /// <summary>V (<paramref name="transposed"/> false) or Vᵀ over the table of <see cref="HashedWeightMap{T}.FillTable"/>.</summary>
    public VirtualMatrixPanels(HashedWeightMap<T> map, T* table, int outputs, bool transposed)
    {
        _map = map;
        _table = table;
        _transposed = transposed;
        (Rows, Columns) = transposed ? (map.Inputs, outputs) : (outputs, map.Inputs);
    }

    public int Rows { get; }

    public int Columns { get; }

    public void PackRowPanels(int row, int rowCount, int column, int columnCount, int panelRows, Span<T> destination)
    {
        // Panels run along the rows. A row of V (not transposed) crosses them; a column of Vᵀ (a row of V) runs along them.
        if (_transposed)
        {
            PackAlong(column, columnCount, row, rowCount, panelRows, destination);
        }
        else
        {
            PackAcross(row, rowCount, column, columnCount, panelRows, destination);
        }
    }

    public void PackColumnPanels(int row, int rowCount, int column, int columnCount, int panelColumns, Span<T> destination)
    {
        // Panels run along the columns. A row of V runs along them; a column of Vᵀ (a row of V) crosses them.
        if (_transposed)
        {
            PackAcross(column, columnCount, row, rowCount, panelColumns, destination);
        }
        else
        {
            PackAlong(row, rowCount, column, columnCount, panelColumns, destination);
        }
    }

    /// <summary>
    /// Lines (rows of V) <paramref name="firstLine"/>… cross the panels: line a is lane a mod P of panel ⌊a/P⌋, and its
    /// entry b lands at b·P within the panel. Lanes past the last line of a partial panel are zeroed.
    /// </summary>
    /// <remarks>
    /// Lines are hashed <see cref="Group"/> at a time and gathered entry by entry across the group, so each panel row
    /// receives <see cref="Group"/> adjacent values at once: one cache line is written per entry of the group instead of
    /// one per line (a panel, P·KC entries, outgrows L1, and stores spread over P-entry strides miss it).
    /// </remarks>
    [SkipLocalsInit]
    private void PackAcross(int firstLine, int lines, int firstRun, int runLength, int panel, Span<T> destination)
    {
        int panelSize = panel * runLength;
        if (lines % panel != 0)
        {
            destination.Slice(lines / panel * panelSize, panelSize).Clear();
        }
        int* indices = stackalloc int[Group * HashedWeightMap<T>.Run];
        // A group never straddles two panels: P is a multiple of the group for every microkernel but the narrowest.
        int group = panel % Group == 0 ? Group : 1;
        fixed (T* d = destination)
        {
            for (int a = 0; a < lines; a += group)
            {
                int count = Math.Min(group, lines - a);
                T* lane = d + (nint)(a / panel) * panelSize + a % panel;
                for (int b0 = 0; b0 < runLength; b0 += HashedWeightMap<T>.Run)
                {
                    int n = Math.Min(HashedWeightMap<T>.Run, runLength - b0);
                    for (int g = 0; g < count; g++)
                    {
                        _map.Indices(Key(firstLine + a + g, firstRun) + (uint)b0, new Span<int>(indices + g * HashedWeightMap<T>.Run, n));
                    }
                    T* row = lane + (nint)b0 * panel;
                    if (count == Group)
                    {
                        GatherGroup(indices, row, panel, n);
                    }
                    else
                    {
                        for (int g = 0; g < count; g++)
                        {
                            HashedWeightMap<T>.Gather(_table, indices + g * HashedWeightMap<T>.Run, row + g, panel, n);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Lines of <see cref="HashedWeightMap{T}.Run"/>-strided indices whose entries are gathered together: the panel rows get this many adjacent lanes per store burst.</summary>
    private const int Group = 8;

    /// <summary>destination[t·P + g] ← table[indices[g·Run + t]] for the <see cref="Group"/> lines g and t &lt; <paramref name="count"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void GatherGroup(int* indices, T* destination, int panel, int count)
    {
        const int run = HashedWeightMap<T>.Run;
        T* table = _table;
        for (int t = 0; t < count; t++)
        {
            int* at = indices + t;
            T* to = destination + (nint)t * panel;
            T v0 = table[(uint)at[0]], v1 = table[(uint)at[run]], v2 = table[(uint)at[2 * run]], v3 = table[(uint)at[3 * run]];
            T v4 = table[(uint)at[4 * run]], v5 = table[(uint)at[5 * run]], v6 = table[(uint)at[6 * run]], v7 = table[(uint)at[7 * run]];
            to[0] = v0;
            to[1] = v1;
            to[2] = v2;
            to[3] = v3;
            to[4] = v4;
            to[5] = v5;
            to[6] = v6;
            to[7] = v7;
        }
    }

    /// <summary>
    /// Lines (rows of V) <paramref name="firstLine"/>… run along the panels: line a starts at a·P in every panel, and its
    /// entries b = p·P … p·P + P − 1 fill that row of panel p contiguously. Entries past the run's end in a partial last
    /// panel are zeroed.
    /// </summary>
    [SkipLocalsInit]
    private void PackAlong(int firstLine, int lines, int firstRun, int runLength, int panel, Span<T> destination)
    {
        int panelSize = panel * lines;
        if (runLength % panel != 0)
        {
            destination.Slice(runLength / panel * panelSize, panelSize).Clear();
        }
        int* indices = stackalloc int[HashedWeightMap<T>.Run];
        fixed (T* d = destination)
        {
            for (int a = 0; a < lines; a++)
            {
                uint key = Key(firstLine + a, firstRun);
                for (int b0 = 0; b0 < runLength; b0 += HashedWeightMap<T>.Run)
                {
                    int n = Math.Min(HashedWeightMap<T>.Run, runLength - b0);
                    _map.Indices(key + (uint)b0, new Span<int>(indices, n));
                    // Piece by piece: entries b0 + t with the same ⌊(b0 + t)/P⌋ are one contiguous row of one panel.
                    for (int t = 0; t < n;)
                    {
                        int b = b0 + t, lane = b % panel, count = Math.Min(n - t, panel - lane);
                        HashedWeightMap<T>.Gather(_table, indices + t, d + (nint)(b / panel) * panelSize + a * panel + lane, 1, count);
                        t += count;
                    }
                }
            }
        }
    }

    /// <summary>The key of V[i, j], i·inputs + j; below inputs·outputs ≤ 2³², so it fits 32 bits.</summary>
    private uint Key(int i, int j) => (uint)i * (uint)_map.Inputs + (uint)j;
}
