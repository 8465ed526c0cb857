"""The benchmark's picture: time against records for the collection and its peers on both API versions, and the
concurrency curve, so a reader sees the gaps at a glance."""

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {'v2': 'tab:blue', 'v3': 'tab:orange'}


def _runs(results, version):
    keys = ['purge_v2'] if version == 'v2' else ['purge_v3', 'purge_v3_large']
    return sorted((results[key] for key in keys if key in results), key=lambda run: run['records'])


def draw(results, path):
    figure, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2))
    for version in ('v2', 'v3'):
        runs = _runs(results, version)
        if not runs:
            continue
        colour = COLOURS[version]
        sizes = [run['records'] for run in runs]
        left.plot(sizes, [run['seconds'] for run in runs], 'o-', color=colour, label='%s collection (role)' % version)
        left.plot(sizes, [run['peer']['seconds'] for run in runs], 's--', color=colour,
                  label='%s skilled peer (requests + threads)' % version)
        left.plot(sizes, [run['limit_seconds'] for run in runs], '_:', markersize=14, color=colour,
                  label='%s latency limit (requests x latency / concurrency)' % version)
        naive = results.get('uri_loop_%s' % version)
        if naive:
            # The naive loop is measured on its own size; its cost per record is drawn across the same sizes.
            span = sorted({naive['records']} | set(sizes))
            left.plot(span, [naive['seconds_per_record'] * size for size in span], 'x-.', color=colour, alpha=0.6,
                      label='%s naive uri loop (measured at %d, per record)' % (version, naive['records']))
    left.set_xscale('log')
    left.set_yscale('log')
    left.set_xlabel('records purged')
    left.set_ylabel('seconds')
    left.set_title('Purge time against records (latency %d ms, concurrency %d)' % (
        results['latency_ms'], results['concurrency']))
    left.grid(True, which='both', alpha=0.3)
    left.legend(fontsize=7)
    curve = results.get('scaling') or []
    if curve:
        levels = [point['concurrency'] for point in curve]
        right.plot(levels, [point['seconds'] for point in curve], 'o-', color=COLOURS['v2'],
                   label='v2 module, %d deletes' % curve[0]['records'])
        right.plot(levels, [point['limit_seconds'] for point in curve], ':', color=COLOURS['v2'],
                   label='latency limit')
        right.set_xscale('log', base=2)
        right.set_xticks(levels)
        right.set_xticklabels([str(level) for level in levels])
        right.set_xlabel('concurrency')
        right.set_ylabel('seconds')
        right.set_title('Concurrency curve (one address a request, v2)')
        right.grid(True, alpha=0.3)
        right.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
