extension HTMLReport {
    /// The document head: the security policy and every style rule, for
    /// screen and for print.
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>trailscan report</title>
        <style>
        :root { --ink: #1d2330; --muted: #5b6475; --line: #dde1e8; --panel: #ffffff; --page: #f4f6f9;
          --critical: #c92a2a; --high: #e8590c; --medium: #e6a700; --low: #3b82c4; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--page); color: var(--ink);
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
        main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 40px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 16px; margin: 0 0 12px; }
        h3 { font-size: 15px; margin: 0; flex: 1; overflow-wrap: anywhere; }
        p { margin: 4px 0; }
        code { background: #eef1f5; padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
        .muted { color: var(--muted); font-weight: normal; }
        .small { font-size: 12px; }
        .top { margin-bottom: 20px; }
        .cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 14px; margin-bottom: 14px; }
        .card, .panel, .finding { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
        .card { padding: 14px 16px; }
        .figure { font-size: 28px; font-weight: 600; }
        .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
        .panel { padding: 16px 18px; margin-bottom: 14px; min-width: 0; }
        svg { display: block; width: 100%; height: auto; }
        svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
        svg .axis { fill: var(--muted); font-size: 11px; }
        .legend { display: flex; gap: 16px; font-size: 12px; color: var(--muted); margin-top: 6px; }
        .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; }
        table { width: 100%; border-collapse: collapse; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
        th { font-size: 12px; color: var(--muted); font-weight: 600; }
        .num { text-align: right; white-space: nowrap; }
        .findings-title { margin: 22px 0 12px; font-size: 18px; }
        .finding { padding: 14px 18px; margin-bottom: 14px; }
        .finding header { display: flex; align-items: center; gap: 12px; margin-bottom: 10px; }
        .rank { color: var(--muted); font-weight: 600; }
        time { color: var(--muted); white-space: nowrap; }
        .badge { color: #fff; border-radius: 12px; padding: 2px 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
        .badge.critical, .legend .critical { background: var(--critical); }
        .badge.high, .legend .high { background: var(--high); }
        .badge.medium, .legend .medium { background: var(--medium); }
        .badge.low, .legend .low { background: var(--low); }
        .badge.unknown { background: var(--muted); }
        dl { display: grid; grid-template-columns: 110px 1fr; gap: 3px 12px; margin: 0 0 8px; }
        dt { color: var(--muted); }
        dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
        .reasons { margin: 0 0 10px; padding-left: 20px; }
        .evidence { background: #f7f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 0;
          max-height: 320px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
        footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
        @media (max-width: 800px) { .cards, .grid { grid-template-columns: 1fr 1fr; } .grid { display: block; } }
        @media print {
          @page { size: A4; margin: 14mm; }
          body { background: #fff; font-size: 11px; }
          main { max-width: none; padding: 0; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .card, .panel, .finding { break-inside: avoid; border-color: #bbb; }
          .findings-title { break-before: page; }
          .evidence { max-height: none; overflow: visible; }
        }
        </style>
        </head>
        <body>
        <main>

        """
}
