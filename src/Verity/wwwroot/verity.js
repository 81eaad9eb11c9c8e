// Live SMART feedback while an objective is written: the same checker the API and the triage use.
(function () {
    const form = document.querySelector("[data-smart-check]");
    if (!form) return;
    const output = document.getElementById("smart-live");
    const field = (name) => form.querySelector(`[name="${name}"]`);
    let timer = null;
    const camel = (text) => text.charAt(0).toLowerCase() + text.slice(1);

    async function check() {
        const body = {
            title: field("Form.Title")?.value ?? "",
            successCriteria: field("Form.SuccessCriteria")?.value ?? "",
            businessImpact: field("Form.BusinessImpact")?.value ?? "",
            targetDate: field("Form.TargetDate")?.value || null,
            kind: camel(field("Form.Kind")?.value ?? "Quantitative"),
            metrics: JSON.parse(form.dataset.metrics || "[]"),
        };
        const response = await fetch("/api/v1/smart/check", {
            method: "POST",
            // A cookie-authenticated API write must carry the page's antiforgery token.
            headers: {
                "Content-Type": "application/json",
                "RequestVerificationToken": field("__RequestVerificationToken")?.value ?? "",
            },
            credentials: "same-origin",
            body: JSON.stringify(body),
        });
        if (!response.ok) return;
        const result = await response.json();
        output.replaceChildren();
        if (result.isSmart) {
            const ok = document.createElement("p");
            ok.className = "smart-ok";
            ok.textContent = "SMART: specific, measurable, attainable, relevant and time-bound.";
            output.append(ok);
            return;
        }
        const list = document.createElement("ul");
        list.className = "smart-findings";
        for (const finding of result.findings) {
            const item = document.createElement("li");
            item.dataset.rule = finding.rule;
            const rule = document.createElement("strong");
            rule.textContent = finding.rule + ": ";
            item.append(rule, finding.message + " " + finding.suggestion);
            list.append(item);
        }
        output.append(list);
    }

    form.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(check, 250);
    });
})();
