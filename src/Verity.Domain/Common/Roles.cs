namespace Verity.Domain.Common;

public enum UserRole
{
    Admin,
    Director,
    Manager,
    AccountExecutive,
    SolutionsArchitect,
    CustomerSuccessManager,
    ImplementationEngineer,
    Customer,
}

/// <summary>A disabled user keeps their history but can no longer sign in, and their sessions and tokens stop at once.</summary>
public enum UserStatus
{
    Active,
    Disabled,
}

public static class UserRoles
{
    /// <summary>Admins, directors and managers see every account; everybody else only the accounts they belong to.</summary>
    public static bool SeesEveryAccount(this UserRole role) => role switch
    {
        UserRole.Admin or UserRole.Director or UserRole.Manager => true,
        UserRole.AccountExecutive or UserRole.SolutionsArchitect or UserRole.CustomerSuccessManager
            or UserRole.ImplementationEngineer or UserRole.Customer => false,
    };

    public static bool IsCustomer(this UserRole role) => role == UserRole.Customer;
}
