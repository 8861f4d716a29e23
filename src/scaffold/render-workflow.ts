export interface WorkflowOptions {
  /** The archive folder relative to the repository top, as in newsmirror.yaml (`archive`). */
  archive: string;
}

/**
 * `.github/workflows/newsmirror.yml`: an hourly run (and a button), never two
 * at once, newsmirror installed from the repository's package.json with npm's
 * cache, the catalog kept in the Actions cache between runs (a run rebuilds
 * it from the files when the cache is empty or evicted), the run's commit
 * pushed, and its report in the job summary.
 */
export function renderWorkflow(options: WorkflowOptions): string {
  const prefix = options.archive === '.' || options.archive === '' ? '' : `${options.archive.replace(/\/+$/, '')}/`;
  const catalog = `${prefix}.newsmirror/catalog.sqlite*`;
  return `# newsmirror: brings the archive up to date every hour and pushes it.
# Created by \`npx newsmirror init\`; edit freely.
name: newsmirror

on:
  schedule:
    # Hourly, off the top of the hour, when GitHub's scheduler is least busy.
    - cron: "17 * * * *"
  workflow_dispatch:

# One run at a time: a run that comes due while another is pushing waits for it.
concurrency:
  group: newsmirror
  cancel-in-progress: false

permissions:
  contents: write

jobs:
  archive:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v5

      # An LTS release (newsmirror is tested on Node 20, 22, 24 and 26).
      - uses: actions/setup-node@v5
        with:
          node-version: 24
          cache: npm
          cache-dependency-path: package*.json

      # newsmirror is a dependency in package.json. Commit the package-lock.json
      # that \`npm install\` makes to pin its version (then this runs npm ci).
      - name: Install newsmirror
        run: if [ -f package-lock.json ]; then npm ci; else npm install --no-audit --no-fund; fi

      # The catalog is an index of the archive: never committed, kept here. Its
      # path is in the archive folder (\`archive:\` in newsmirror.yaml): if you
      # move the archive, change it here and in "Save the catalog" too.
      - name: Restore the catalog
        uses: actions/cache/restore@v5
        with:
          path: ${catalog}
          key: newsmirror-catalog-\${{ github.run_id }}
          restore-keys: newsmirror-catalog-

      # Exit code 2 (some sources failed, the others archived and pushed) is a
      # warning; 3 (a push failed) and 1 (the run could not start) fail the job.
      # The summary gets stderr too: why a run could not start.
      - name: Archive, commit and push
        run: |
          set +e
          report="$RUNNER_TEMP/newsmirror-report.txt"
          npx newsmirror run --commit --push > "$report" 2>&1
          code=$?
          cat "$report"
          {
            echo "### newsmirror"
            echo
            echo '\`\`\`'
            cat "$report"
            echo '\`\`\`'
          } >> "$GITHUB_STEP_SUMMARY"
          if [ "$code" -eq 2 ]; then
            echo "::warning::some sources failed; see the job summary"
            exit 0
          fi
          exit "$code"

      - name: Save the catalog
        if: always()
        uses: actions/cache/save@v5
        with:
          path: ${catalog}
          key: newsmirror-catalog-\${{ github.run_id }}
`;
}
