// The kernel of make_golden_rank_truth.py: at each grid node g, the exact Poisson-binomial
// distribution of the number of seats above the node's rate (a dynamic programme over the
// seats whose chance is neither 0 nor 1 to within eps), then, for every seat i with weight
// at g, seat i taken out again by deconvolution (in the numerically stable direction) and
// A[i][r] += w_ig * P(number of others above <= r - 1), r = 0..n.
#include <stdlib.h>
#include <string.h>

void truth(int G, int n, const double *S, const double *W, double eps, double wthr,
           double *A) {
    double *p = malloc(sizeof(double) * (n + 2));
    double *q = malloc(sizeof(double) * (n + 2));
    double *c = malloc(sizeof(double) * (n + 2));
    int *cls = malloc(sizeof(int) * n);
    for (int g = 0; g < G; g++) {
        const double *s = S + (long)g * n;
        const double *w = W + (long)g * n;
        int ones = 0, U = 0, any = 0;
        for (int i = 0; i < n; i++)
            if (w[i] > wthr) { any = 1; break; }
        if (!any) continue;
        p[0] = 1.0;
        for (int j = 0; j < n; j++) {
            double sj = s[j];
            if (sj >= 1.0 - eps) { cls[j] = 1; ones++; }
            else if (sj <= eps) { cls[j] = 0; }
            else {
                cls[j] = 2;
                p[U + 1] = p[U] * sj;
                for (int m = U; m >= 1; m--) p[m] = p[m] * (1.0 - sj) + p[m - 1] * sj;
                p[0] *= (1.0 - sj);
                U++;
            }
        }
        for (int i = 0; i < n; i++) {
            double wi = w[i];
            if (wi <= wthr) continue;
            int onesi = ones, Ui = U;
            if (cls[i] == 2) {
                double si = s[i];
                Ui = U - 1;
                if (si <= 0.5) {
                    q[0] = p[0] / (1.0 - si);
                    for (int m = 1; m <= Ui; m++) q[m] = (p[m] - si * q[m - 1]) / (1.0 - si);
                } else {
                    q[Ui] = p[U] / si;
                    for (int m = Ui; m >= 1; m--) q[m - 1] = (p[m] - (1.0 - si) * q[m]) / si;
                }
            } else {
                memcpy(q, p, sizeof(double) * (U + 1));
                if (cls[i] == 1) onesi--;
            }
            double acc = 0.0;
            for (int m = 0; m <= Ui; m++) { acc += q[m]; c[m] = acc; }
            double *Ai = A + (long)i * (n + 1);
            for (int r = 1; r <= n; r++) {
                int m = r - 1 - onesi;
                double v = m < 0 ? 0.0 : (m >= Ui ? 1.0 : c[m]);
                Ai[r] += wi * v;
            }
        }
    }
    free(p); free(q); free(c); free(cls);
}
