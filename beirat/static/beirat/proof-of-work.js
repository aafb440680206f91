// Proof of work for public forms (beirat/core/proof_of_work.py): find a number whose SHA-256
// together with the form's signed token starts with the required zero bits, then let the form go.
(() => {
  "use strict";
  const BATCH = 256;

  function zeroBits(bytes) {
    let count = 0;
    for (const byte of bytes) {
      if (byte !== 0) return count + Math.clz32(byte) - 24;
      count += 8;
    }
    return count;
  }

  async function solve(challenge, bits) {
    const encoder = new TextEncoder();
    for (let start = 0; ; start += BATCH) {
      const digests = [];
      for (let nonce = start; nonce < start + BATCH; nonce += 1) {
        digests.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + nonce)));
      }
      const results = await Promise.all(digests);
      for (let offset = 0; offset < results.length; offset += 1) {
        if (zeroBits(new Uint8Array(results[offset])) >= bits) return String(start + offset);
      }
    }
  }

  function protect(status) {
    const form = status.closest("form");
    const challenge = form && form.querySelector("input[name$='issued']");
    const answer = form && form.querySelector("input[name$='work']");
    if (!challenge || !answer || !window.crypto || !crypto.subtle) return;
    let solved = false;
    let waiting = false;
    form.addEventListener("submit", (event) => {
      if (solved) return;
      event.preventDefault();
      waiting = true;
      status.textContent = status.dataset.waiting;
    });
    solve(challenge.value, Number(status.dataset.proofOfWork)).then((nonce) => {
      answer.value = nonce;
      solved = true;
      if (waiting) form.submit();
    });
  }

  document.querySelectorAll("[data-proof-of-work]").forEach(protect);
})();
