/** The PyTorch and nnkit code for what is on screen, side by side. */
export function CodePair(p: { torch: string; nnkit: string }): preact.JSX.Element {
  return (
    <div class="code-pair">
      <figure>
        <figcaption>PyTorch</figcaption>
        <pre>
          <code data-testid="code-torch">{p.torch}</code>
        </pre>
      </figure>
      <figure>
        <figcaption>nnkit</figcaption>
        <pre>
          <code data-testid="code-nnkit">{p.nnkit}</code>
        </pre>
      </figure>
    </div>
  );
}
