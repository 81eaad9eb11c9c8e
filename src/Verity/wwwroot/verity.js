// Live SMART feedback while an objective is written: the same checker the API and the triage use.
(function () {
    const form = document.querySelector("[data-smart-check]");
    if (!form) return;
    const output = document.getElementById("smart-live");
    const field = (name) => form.querySelector(`[name="${name}"]`);
    let timer = null;
    const camel = (text) => text.charAt(0).toLowerCase() + text.slice(1);

    // Answers can come back out of order on a busy server: only the latest check's answer is shown.
    let asked = 0;

    async function check() {
        const mine = ++asked;
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
        if (!response.ok || mine !== asked) return;
        const result = await response.json();
        if (mine !== asked) return;
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
    // Says the live check listens, for anyone (a test, an extension) that types before the script has run.
    form.dataset.smartReady = "true";
})();

// After a save the page says what changed, at the top, and the focus moves there; after a failure, to the first message.
(function () {
    const main = document.querySelector("main");
    if (!main) return;
    const done = document.cookie.match(/(?:^|; )verity-done=([^;]*)/);
    if (done) {
        document.cookie = "verity-done=; Max-Age=0; Path=/; SameSite=Strict";
        const notice = document.createElement("p");
        notice.className = "notice";
        notice.id = "done";
        notice.setAttribute("role", "status");
        notice.tabIndex = -1;
        notice.textContent = decodeURIComponent(done[1]);
        // Beside what was saved when the page was sent back to it (#timeline), else at the top.
        const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (target && main.contains(target)) target.before(notice); else main.prepend(notice);
        // After the browser has gone to the #fragment, which would otherwise take the focus back.
        window.addEventListener("load", () => notice.focus());
        return;
    }
    const problem = main.querySelector(".error-summary, .field-error");
    if (problem) {
        problem.tabIndex = -1;
        problem.scrollIntoView({ block: "center" });
        problem.focus();
    }
})();
